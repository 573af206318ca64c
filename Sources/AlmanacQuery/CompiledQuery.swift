import AlmanacSQLite

/// A query compiled to one SQL statement on the read model, with the values to bind.
///
/// The statement returns the columns of ``columns`` in order, then three bookkeeping
/// columns: `$warning` (a message, on warning rows only), `$part` (0 for result rows, 1 for
/// warning rows) and `$ord` (0 on result rows, the warning's number on warning rows), and,
/// when there can be warnings, the result rows' sort keys (`$o0` …, the statement's own
/// `ORDER BY`). ``QueryExecutor`` splits the two kinds of rows.
public struct CompiledQuery: Sendable, Hashable {
    /// The statement; every value that came from the query text is a numbered parameter.
    public var sql: String
    /// The values of `?1`, `?2` …, in order.
    public var parameters: [SQLValue]
    /// The visible result columns, in order.
    public var columns: [ResultColumn]
    /// Statements run before this one to learn the columns of a `pivot` whose values the
    /// catalogue does not list (`pivot period`), with their own parameters.
    public var discoveries: [PivotDiscovery]

    /// The statement and its parameters as text, for `--explain`.
    public var explanation: String {
        var lines: [String] = []
        for (index, discovery) in discoveries.enumerated() {
            lines.append("-- pivot discovery \(index + 1) (run first; its values became the pivot's columns)")
            lines.append(discovery.sql)
            lines.append(contentsOf: Self.describe(discovery.parameters))
            lines.append("")
        }
        lines.append(sql)
        lines.append(contentsOf: Self.describe(parameters))
        return lines.joined(separator: "\n")
    }

    static func describe(_ parameters: [SQLValue]) -> [String] {
        guard !parameters.isEmpty else { return ["-- no parameters"] }
        return ["-- parameters:"] + parameters.enumerated().map { "--   ?\($0.offset + 1) = \($0.element)" }
    }
}

/// A column of a query's result.
public struct ResultColumn: Sendable, Hashable {
    /// What the column holds, for alignment and JSON types.
    public enum Kind: String, Sendable, Hashable {
        /// Text: codes, names, periods, times.
        case text
        /// A decimal number (exact as reported, or computed and rounded for display).
        case number
        /// A whole number (`rank`).
        case integer
    }

    /// The name users see.
    public var name: String
    public var kind: Kind

    /// A column from its parts.
    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}

/// A statement returning, one per row, the distinct values a `pivot` spreads into columns.
public struct PivotDiscovery: Sendable, Hashable {
    public var sql: String
    public var parameters: [SQLValue]
}
