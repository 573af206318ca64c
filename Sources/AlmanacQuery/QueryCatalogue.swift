/// What the checker needs to know about the data: indicators with their dimensions, regions
/// and region groups.
///
/// A later stage implements it from the read models; tests use a small value in memory.
/// Implementations return plain values and must be cheap to read repeatedly: the checker
/// reads each property a few times per query.
public protocol QueryCatalogue: Sendable {
    /// Every defined indicator.
    var indicators: [IndicatorDescription] { get }
    /// Every region, of every level, including those no longer valid (old province codes).
    var regions: [RegionDescription] { get }
    /// Named sets of regions usable with `within`: socio-economic regions (`NMM`) and the 2025
    /// provincial units.
    var regionGroups: [RegionGroupDescription] { get }
}

/// How an indicator's values combine, over time and across regions.
public enum AggregationRule: String, Sendable, Hashable {
    /// A flow (revenue, investment): sums over time and across regions.
    case flow
    /// A stock (debt outstanding): the last value over time; sums across regions.
    case stock
    /// An index or a rate (CPI, growth): averages over time; never summed.
    case indexOrRate

    /// How the rule is named in messages.
    var phrase: String {
        switch self {
        case .flow: return "a flow"
        case .stock: return "a stock"
        case .indexOrRate: return "an index or a rate"
        }
    }
}

/// An indicator as the checker sees it.
public struct IndicatorDescription: Sendable, Hashable {
    /// The code, like `cpi.index`; the family is the part before the first dot.
    public var code: String
    /// How values combine.
    public var rule: AggregationRule
    /// The breakdown dimensions the indicator has, in display order.
    public var dimensions: [DimensionDescription]

    /// An indicator from its parts.
    public init(code: String, rule: AggregationRule, dimensions: [DimensionDescription] = []) {
        self.code = code
        self.rule = rule
        self.dimensions = dimensions
    }

    /// The part of the code before the first dot (`budget` for `budget.revenue`).
    public var family: String { String(code.split(separator: ".", maxSplits: 1).first ?? Substring(code)) }
}

/// A breakdown dimension and the values it may take.
public struct DimensionDescription: Sendable, Hashable {
    /// The dimension's name, which is also its column (`group`, `measure`).
    public var name: String
    /// The allowed values; empty when any value is allowed (the checker then checks none).
    public var values: [String]

    /// A dimension from its parts.
    public init(name: String, values: [String] = []) {
        self.name = name
        self.values = values
    }
}

/// A region as the checker sees it: matched by code or by any name, ignoring accents and case.
public struct RegionDescription: Sendable, Hashable {
    /// The official code (`19` for Thái Nguyên).
    public var code: String
    /// Its names, with diacritics first (`Thái Nguyên`), then other spellings.
    public var names: [String]

    /// A region from its parts.
    public init(code: String, names: [String]) {
        self.code = code
        self.names = names
    }
}

/// A named set of regions for `within`.
///
/// Two kinds: a socio-economic region (`NMM`), whose members are the provinces it contains
/// (of both the 63 and the 34), and a 2025 provincial unit (`19N`), whose members are the
/// provinces it was formed from. Rows of a unit's predecessors stand for the unit only for
/// additive indicators (a sum of revenues is the unit's revenue; a mean of growth rates is
/// not its growth), so for other indicators `within` a unit keeps the unit's own rows only.
public struct RegionGroupDescription: Sendable, Hashable {
    /// The short code (`NMM`, `19N`).
    public var code: String
    /// Its names (`Northern Midlands and Mountains`, `Trung du và miền núi phía Bắc`).
    public var names: [String]
    /// The codes of the member regions (for a 2025 unit: its predecessors).
    public var members: [String]
    /// Whether the group is a 2025 provincial unit rather than a socio-economic region.
    public var isBoundaryUnit: Bool

    /// A group from its parts.
    public init(code: String, names: [String], members: [String] = [], isBoundaryUnit: Bool = false) {
        self.code = code
        self.names = names
        self.members = members
        self.isBoundaryUnit = isBoundaryUnit
    }
}
