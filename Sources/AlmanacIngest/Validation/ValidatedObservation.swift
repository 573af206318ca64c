import AlmanacDomain

/// One valid row: everything resolved to catalogue codes, the value kept exactly as written.
///
/// Produced by ``SubmissionValidator``; nothing here needs checking again before it becomes
/// an event. The value is the agency's text (`1234.50` stays `1234.50`), never a float.
public struct ValidatedObservation: Sendable, Equatable {
    /// The indicator's catalogue code (`budget.revenue`).
    public var indicator: String
    /// The indicator's family (`budget`), which agency scopes are written in.
    public var family: String
    /// The region's catalogue code (`19`, `19N`, `NMM`, `VN`).
    public var region: String
    /// The reference period.
    public var period: Period
    /// A value for every dimension of the indicator: given ones checked, defaults filled in.
    public var dimensions: [String: String]
    /// The exact decimal text; nil only for `retract` rows that gave no value.
    public var value: String?
    /// The indicator's unit code (a row in another unit is rejected, never converted).
    public var unit: String
    /// The status; ``ObservationStatus/final`` when the file gives none.
    public var status: ObservationStatus
    /// The agency's own release date, when the file gives one.
    public var releaseDate: CalendarDate?
    /// Report (the default) or retract.
    public var action: ObservationAction
    /// The physical line the row began on; nil for JSON messages.
    public var line: Int?

    /// Creates an observation.
    public init(indicator: String, family: String, region: String, period: Period, dimensions: [String: String],
                value: String?, unit: String, status: ObservationStatus = .final, releaseDate: CalendarDate? = nil,
                action: ObservationAction = .report, line: Int? = nil) {
        self.indicator = indicator
        self.family = family
        self.region = region
        self.period = period
        self.dimensions = dimensions
        self.value = value
        self.unit = unit
        self.status = status
        self.releaseDate = releaseDate
        self.action = action
        self.line = line
    }

    /// `indicator|region|period|k=v;k=v` with dimensions sorted by name: the observation's
    /// identity. Two rows with the same key describe the same figure.
    ///
    /// Period is in its canonical spelling, so `2021-01..2021-03` and `2021-Q1` share a key.
    public var key: String {
        let dims = dimensions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")
        return "\(indicator)|\(region)|\(period)|\(dims)"
    }
}
