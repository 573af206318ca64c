import AlmanacSQLite

/// A query compiled to one SQL statement on the read model, with the values to bind (and,
/// for some queries, a cheaper statement tried first: ``shortcut``).
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
    /// A cheaper statement tried first, whose rows are the whole answer when the data are
    /// complete, or nil.
    public var shortcut: Shortcut?

    /// A statement that gives the answer without the work for data that may be incomplete.
    ///
    /// It returns the result columns in order, then `$whole`: how many rows make its rows
    /// the whole answer (the same on every row). ``QueryExecutor`` uses its rows when there
    /// are exactly that many, and otherwise runs ``CompiledQuery/sql``. `convert` as the last
    /// step has one: when every series has a figure of its own for every target period, those
    /// figures are the answer, with nothing to combine and no warning; the general statement
    /// would also look for the periods without one and combine their sub-periods.
    public struct Shortcut: Sendable, Hashable {
        public var sql: String
        public var parameters: [SQLValue]
    }

    /// A compiled query from its parts.
    public init(sql: String, parameters: [SQLValue], columns: [ResultColumn], discoveries: [PivotDiscovery], shortcut: Shortcut? = nil) {
        self.sql = sql
        self.parameters = parameters
        self.columns = columns
        self.discoveries = discoveries
        self.shortcut = shortcut
    }

    /// The statement and its parameters as text, for `--explain`.
    public var explanation: String {
        var lines: [String] = []
        for (index, discovery) in discoveries.enumerated() {
            lines.append("-- pivot discovery \(index + 1) (run first; its values became the pivot's columns)")
            lines.append(discovery.sql)
            lines.append(contentsOf: Self.describe(discovery.parameters))
            lines.append("")
        }
        if let shortcut {
            lines.append("-- shortcut (run first; its rows are the answer when there are as many as its \"$whole\" says,")
            lines.append("-- else the statement after it runs)")
            lines.append(shortcut.sql)
            lines.append(contentsOf: Self.describe(shortcut.parameters))
            lines.append("")
            lines.append("-- the statement")
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
