import AlmanacDomain
import Foundation

/// What a release file contains; the rows themselves are computed by
/// `EconomyModel.forEachRow(of:releasedOn:_:)`.
indirect enum ReleaseContent: Sendable, Hashable {
    /// GSO's monthly report: CPI (general and 11 groups, 2019 = 100) and FDI licensed, every province.
    case gsoMonthly(year: Int, month: Int)
    /// GSO's quarterly GRDP: the quarter, the year to date and (fourth quarter) the second half.
    case gsoQuarterly(year: Int, quarter: Int)
    /// GSO's restatement of a quarter's GRDP figures a quarter later.
    case gsoQuarterRevision(year: Int, quarter: Int)
    /// MOF's monthly budget execution: actual revenue and expenditure, every province.
    case mofMonthly(year: Int, month: Int)
    /// MOF's annual budget plan, published in January.
    case mofPlan(year: Int)
    /// MOF's restatement of a quarter's monthly figures a quarter later.
    case mofQuarterRevision(year: Int, quarter: Int)
    /// A provincial statistics office's own report on the first `months` months of its
    /// province (official code `province`; 6: first half, 9: nine months).
    case psoReport(province: String, year: Int, months: Int)
    /// A provincial statistics office's restatement of its first-half figures in October.
    case psoRevision(province: String, year: Int)
    /// Re-estimate round `round` (1-based) of another release, for scale above 1.
    case reestimate(base: ReleaseContent, round: Int)

    /// The breakdown dimension columns, in the order they are written.
    var dimensionNames: [String] {
        switch self {
        case .gsoMonthly: ["group", "base"]
        case .gsoQuarterly, .gsoQuarterRevision: ["sector", "price"]
        case .mofMonthly, .mofPlan, .mofQuarterRevision: ["measure", "item"]
        case .psoReport, .psoRevision: ["group", "base", "sector", "price"]
        case .reestimate(let base, _): base.dimensionNames
        }
    }

    /// The file name after the date, without extension (`grdp-2021-Q2`).
    var slug: String {
        switch self {
        case let .gsoMonthly(y, m): "monthly-" + Period.month(y, m)!.description
        case let .gsoQuarterly(y, q): "grdp-" + Period.quarter(y, q)!.description
        case let .gsoQuarterRevision(y, q): "grdp-revision-" + Period.quarter(y, q)!.description
        case let .mofMonthly(y, m): "budget-" + Period.month(y, m)!.description
        case let .mofPlan(y): "budget-plan-\(y)"
        case let .mofQuarterRevision(y, q): "budget-revision-" + Period.quarter(y, q)!.description
        case let .psoReport(_, y, months): months == 6 ? "grdp-h1-\(y)" : "grdp-\(months)m-\(y)"
        case let .psoRevision(_, y): "grdp-h1-revision-\(y)"
        case let .reestimate(base, round): base.slug + ".r" + String(format: "%03d", round)
        }
    }

    /// Whether the file restates earlier figures.
    var kind: ReleaseKind {
        switch self {
        case .gsoQuarterRevision, .mofQuarterRevision, .psoRevision, .reestimate: .revision
        default: .release
        }
    }
}
