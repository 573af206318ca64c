import AlmanacDomain

/// A closed set of words the language recognises at one position (step names, methods).
///
/// The parser reads them generically and answers a misspelling with the closest words.
public protocol Vocabulary: RawRepresentable<String>, CaseIterable, Sendable, Hashable {
    /// What the word names, for messages: `step`, `frequency`, `method`.
    static var role: String { get }
}

extension Vocabulary {
    /// Every word, in declaration order.
    static var words: [String] { allCases.map(\.rawValue) }
}

/// The steps of the language.
public enum StepName: String, Vocabulary {
    case `where`, during, asof, convert, group, growth, change, ytd, decumulate, rebase, share, rank, pivot, derive, sort
    case take, ratio, deflate
    public static let role = "step"

    /// Words from other query languages, and the step that does their job here.
    static let synonyms: [String: StepName] = [
        "filter": .where, "limit": .take, "head": .take, "top": .take, "order": .sort, "orderby": .sort,
        "select": .derive, "mutate": .derive, "compute": .derive, "extend": .derive, "let": .derive,
        "aggregate": .group, "summarize": .group, "summarise": .group, "groupby": .group,
        "period": .during, "periods": .during, "between": .during, "resample": .convert,
        "unytd": .decumulate, "deytd": .decumulate, "uncumulate": .decumulate, "deaccumulate": .decumulate,
        "decumulative": .decumulate, "discrete": .decumulate, "cumsum": .ytd, "cumulate": .ytd, "accumulate": .ytd,
    ]
}

/// Target frequencies of `convert`.
public enum Frequency: String, Vocabulary {
    case annual, half, quarterly, monthly
    public static let role = "frequency"

    /// The months of one period.
    var months: Int {
        switch self {
        case .annual: 12
        case .half: 6
        case .quarterly: 3
        case .monthly: 1
        }
    }
}

/// How `convert` combines sub-periods.
public enum ConversionMethod: String, Vocabulary {
    case sum, avg, last
    public static let role = "conversion method"
}

/// How `group by` combines rows.
public enum Aggregation: String, Vocabulary {
    case sum, avg, min, max, count, last
    public static let role = "aggregation"
}

/// What `growth` and `change` compare with.
public enum Comparison: String, Vocabulary {
    /// The previous period of the same frequency.
    case pop
    /// The same period a year earlier.
    case yoy
    public static let role = "comparison"
}

/// How `ytd` cumulates (and `decumulate` undoes it).
public enum CumulationMethod: String, Vocabulary {
    case sum, avg
    public static let role = "cumulation method"
}

/// Direction of `rank`; `desc` (1 = largest) is the default.
public enum RankOrder: String, Vocabulary {
    case asc, desc
    public static let role = "rank order"
}

/// Functions of expressions.
public enum Function: String, Vocabulary {
    /// `abs(x)`.
    case abs
    /// `round(x)` or `round(x, n)`: n decimal places, 0 if omitted.
    case round
    public static let role = "function"

    /// How many arguments the function takes.
    public var arity: ClosedRange<Int> {
        switch self {
        case .abs: return 1...1
        case .round: return 1...2
        }
    }
}
