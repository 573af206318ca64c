/// The syntax tree of a query: a source and the steps that transform its rows, left to right.
///
/// Every node that a message may point at is ``Located``; equality ignores spans, so a query
/// equals the re-parse of its canonical text (``QueryPrinter``).
public struct Query: Sendable, Hashable, CustomStringConvertible {
    /// The indicators after `from`, at least one.
    public var indicators: [Located<IndicatorReference>]
    /// The steps after the source, in order; may be empty.
    public var steps: [Located<Step>]

    /// A query from its parts.
    public init(indicators: [Located<IndicatorReference>], steps: [Located<Step>]) {
        self.indicators = indicators
        self.steps = steps
    }

    /// Parses a query.
    ///
    /// - Parameter text: The query, one line or several.
    /// - Returns: Its syntax tree.
    /// - Throws: ``QueryError`` of kind `lexical` or `syntax` for the first problem found.
    public static func parse(_ text: String) throws(QueryError) -> Query {
        var parser = try Parser(text)
        return try parser.parseQuery()
    }

    /// The canonical text of the query, on one line.
    public var description: String { QueryPrinter.print(self) }
}

/// An indicator code or glob, with optional filters on its breakdown dimensions:
/// `cpi.index(group = "food")`, `budget.*`.
public struct IndicatorReference: Sendable, Hashable {
    /// The code or pattern as written; `*` matches any run of characters.
    public var name: Located<String>
    /// Filters on breakdown dimensions, all of which must hold.
    public var filters: [Located<DimensionFilter>]

    /// A reference from its parts.
    public init(name: Located<String>, filters: [Located<DimensionFilter>] = []) {
        self.name = name
        self.filters = filters
    }

    /// Whether the name is a pattern rather than one code.
    public var isGlob: Bool { name.value.contains("*") }
}

/// `dimension = "value"` or `dimension in ("a", "b")` inside an indicator reference.
public struct DimensionFilter: Sendable, Hashable {
    /// The breakdown dimension (`group`, `measure` …).
    public var dimension: Located<String>
    /// The accepted values, at least one; numbers are kept as their text.
    public var values: [Located<String>]

    /// A filter from its parts.
    public init(dimension: Located<String>, values: [Located<String>]) {
        self.dimension = dimension
        self.values = values
    }
}

/// One step of the pipeline.
public enum Step: Sendable, Hashable {
    /// `where <condition>`: keep the rows for which the condition holds.
    case filter(Located<Expression>)
    /// `during <periods>`: the periods to show.
    case during([Located<PeriodSelection>])
    /// `asof <when> [vs <when>]`: knowledge time; with `vs`, both vintages and their revision.
    case asof(Located<KnowledgeTime>, versus: Located<KnowledgeTime>?)
    /// `convert <frequency> [method]`: change frequency; no method means each indicator's rule.
    case convert(Located<Frequency>, method: Located<ConversionMethod>?)
    /// `group by <columns> [aggregation] [over period]`.
    case group(by: [Located<String>], aggregation: Located<Aggregation>?, overPeriod: Bool)
    /// `growth <pop|yoy>`: percent change.
    case growth(Comparison)
    /// `change <pop|yoy>`: absolute change.
    case change(Comparison)
    /// `ytd [sum|avg]`: cumulate from the start of each year; no method means each indicator's rule.
    case ytd(CumulationMethod?)
    /// `decumulate [sum|avg]`: the inverse of `ytd`: year-to-date figures back into the
    /// figures of single periods; no method means each indicator's rule.
    case decumulate(CumulationMethod?)
    /// `rebase <period> [= base]`: divide by the value in that period, times the base (100 if omitted).
    case rebase(Located<PeriodLiteral>, base: Located<String>?)
    /// `share [within <columns>]`: percent of the period's (and group's) total.
    case share(within: [Located<String>])
    /// `rank [asc|desc] [within <columns>]`: adds `rank` per period (and group).
    case rank(RankOrder?, within: [Located<String>])
    /// `pivot <column>`: one column per period or per value of a dimension.
    case pivot(Located<String>)
    /// `derive <name> = <expression>, …`: computed columns.
    case derive([Derivation])
    /// `sort [-]<column>, …`.
    case sort([SortKey])
    /// `take <n>`: the first n rows, n ≥ 1.
    case take(Located<Int>)
    /// `ratio <indicator>`: value divided by the other indicator's value for the same region
    /// and period, times 100.
    case ratio(Located<IndicatorReference>)
    /// `deflate <index>`: value divided by the price index for the same region and period,
    /// times 100 (values at the index's base-period prices).
    case deflate(Located<IndicatorReference>)

    /// The word that starts the step.
    public var name: StepName {
        switch self {
        case .filter: return .where
        case .during: return .during
        case .asof: return .asof
        case .convert: return .convert
        case .group: return .group
        case .growth: return .growth
        case .change: return .change
        case .ytd: return .ytd
        case .decumulate: return .decumulate
        case .rebase: return .rebase
        case .share: return .share
        case .rank: return .rank
        case .pivot: return .pivot
        case .derive: return .derive
        case .sort: return .sort
        case .take: return .take
        case .ratio: return .ratio
        case .deflate: return .deflate
        }
    }
}

/// `name = expression` in `derive`.
public struct Derivation: Sendable, Hashable {
    /// The new (or replaced) column.
    public var name: Located<String>
    /// How to compute it from the row.
    public var expression: Located<Expression>

    /// A derivation from its parts.
    public init(name: Located<String>, expression: Located<Expression>) {
        self.name = name
        self.expression = expression
    }
}

/// A column to sort on, ascending unless written with a leading `-`.
public struct SortKey: Sendable, Hashable {
    /// The column.
    public var column: Located<String>
    /// Largest first.
    public var descending: Bool

    /// A key from its parts.
    public init(column: Located<String>, descending: Bool) {
        self.column = column
        self.descending = descending
    }
}
