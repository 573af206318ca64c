import AlmanacDomain

/// Why a query was refused: what went wrong, where, and what might fix it.
///
/// Modelled on PRQL's `{kind, span, reason, hints}`. The reason is one sentence without a
/// final full stop; each hint is a short suggestion (`did you mean "growth"?`). Render it for
/// a person with ``rendered(in:)``.
public struct QueryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stage that refused the query.
    public enum Kind: String, Sendable, Hashable {
        /// The text could not be cut into tokens (unterminated string, bad period literal).
        case lexical
        /// The tokens do not form a query (unknown step, missing argument, unbalanced parenthesis).
        case syntax
        /// A name is not in the catalogue or not a column at that point (indicator, dimension,
        /// value, region, column).
        case unknownName
        /// The query is well formed but asks for something meaningless (summing an index).
        case semantic
    }

    /// The stage that refused the query.
    public var kind: Kind
    /// The offending text.
    public var span: SourceSpan
    /// What is wrong, in one sentence.
    public var reason: String
    /// Suggestions, most useful first; may be empty.
    public var hints: [String]

    /// An error from its parts.
    public init(_ kind: Kind, at span: SourceSpan, _ reason: String, hints: [String] = []) {
        self.kind = kind
        self.span = span
        self.reason = reason
        self.hints = hints
    }

    /// `line:column: reason`, for logs; people get ``rendered(in:)``.
    public var description: String { "\(span.line):\(span.column): \(reason)" }

    /// The error drawn under the line of `source` it refers to; see ``Diagnostic``.
    public func rendered(in source: String) -> String {
        Diagnostic.render(self, source: source)
    }

    /// A hint naming the closest of `candidates` to `input`, or no hint when none is close.
    ///
    /// Comparison ignores accents and case (``DidYouMean`` from `AlmanacDomain`).
    static func didYouMean(_ input: String, among candidates: [String], limit: Int = 3) -> [String] {
        let close = DidYouMean.suggestions(for: input, among: candidates, limit: limit)
        guard !close.isEmpty else { return [] }
        return ["did you mean \(listing(close, conjunction: "or"))?"]
    }

    /// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
    static func listing(_ words: [String], conjunction: String = "or") -> String {
        let quoted = words.map { "\"\($0)\"" }
        guard quoted.count > 1 else { return quoted.first ?? "" }
        return quoted.dropLast().joined(separator: ", ") + " \(conjunction) " + quoted.last!
    }
}
