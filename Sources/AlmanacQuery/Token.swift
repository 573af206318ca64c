/// One token of a query, with the span it covers.
public struct Token: Sendable, Hashable {
    /// What the token is.
    public var kind: Kind
    /// Where it was written.
    public var span: SourceSpan

    /// A token from its parts.
    public init(_ kind: Kind, at span: SourceSpan) {
        self.kind = kind
        self.span = span
    }

    /// The kinds of token.
    public enum Kind: Sendable, Hashable {
        /// A name: a step, column, function or method word, or an indicator code with dots
        /// and globs (`where`, `region_name`, `cpi.index`, `budget.*`).
        case identifier(String)
        /// A reserved word, which can never name a column.
        case keyword(Keyword)
        /// A double-quoted string, escapes decoded.
        case string(String)
        /// A number exactly as written (`12`, `6.5`): never converted to binary floating point here.
        case number(String)
        /// A period literal other than a bare year (`2021-H1`, `2021-Q3`, `2021-07`, `2021-S1`, `2021-M07`).
        /// A bare year such as `2021` is a `number`; the parser reads it as a year where a period is expected.
        case period(PeriodLiteral)
        /// A calendar date (`2021-07-12`).
        case date(DateLiteral)
        /// A log position (`@12345`).
        case position(UInt64)
        /// An operator or punctuation.
        case symbol(Symbol)
        /// The end of the query.
        case end
    }

    /// How the token reads in a message: `"grwoth"`, `"|"`, `the end of the query`.
    public var quoted: String {
        switch kind {
        case .identifier(let name): return "\"\(name)\""
        case .keyword(let keyword): return "\"\(keyword.rawValue)\""
        case .string(let text): return "the string \(QueryPrinter.quote(text))"
        case .number(let text): return "\"\(text)\""
        case .period(let period): return "\"\(period)\""
        case .date(let date): return "\"\(date)\""
        case .position(let position): return "\"@\(position)\""
        case .symbol(let symbol): return "\"\(symbol.rawValue)\""
        case .end: return "the end of the query"
        }
    }
}

/// Words reserved by the language. Every other word (step names, methods such as `sum`,
/// `latest`, `over`) is recognised by its position, so a dimension may be called `group`.
public enum Keyword: String, Sendable, Hashable, CaseIterable {
    case from, and, or, not, `in`, within
}

/// Operators and punctuation.
public enum Symbol: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case plus = "+"
    case minus = "-"
    case star = "*"
    case slash = "/"
    case pipe = "|"
    case comma = ","
    case leftParenthesis = "("
    case rightParenthesis = ")"
    case range = ".."
}
