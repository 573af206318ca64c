import Foundation
import AlmanacSQLite

/// What a column of the rows between two steps holds; decides how each step treats it.
enum ColumnRole: Hashable {
    /// Identifies a row besides its period: `indicator`, `region`, `region_name`, `level`,
    /// dimensions, text computed by `derive`. Steps group, join and partition on these.
    case key
    /// The `period` text; always travels with the hidden month ordinals `$fm` and `$lm`.
    case period
    /// A number: `value`, `value_vs`, `revision`, `share`, `rank`, derived numbers, pivoted cells.
    case measure
    /// Describes a value without identifying it: `unit`, `status`, `known_from`.
    case meta
    /// Compiler bookkeeping, never shown: month ordinals, the indicator's rule, additivity, series id.
    case hidden
}

/// One column of a ``Relation``.
struct RelationColumn: Hashable {
    /// The name users write and see; hidden columns start with `$`, which no identifier can.
    var name: String
    /// The quoted SQL identifier.
    var sql: String
    /// For measures read from the store: the quoted identifier of the companion column that
    /// holds the value exactly as reported, NULL once a step has computed a new value.
    var exact: String?
    var role: ColumnRole
    /// Whether the values are whole numbers (`rank`), shown without decimals.
    var isInteger = false
    /// A key read by `from` (indicator, region and its names, dimensions): the same for
    /// every row of one series, so the series id (`$sid`) stands for it.
    var isSourceKey = false

    /// A column whose SQL identifier is its name, quoted.
    init(_ name: String, role: ColumnRole, exact: Bool = false, isInteger: Bool = false) {
        self.name = name
        self.sql = SQLText.identifier(name)
        self.exact = exact ? SQLText.identifier("$x:" + name) : nil
        self.role = role
        self.isInteger = isInteger
    }

    /// A column with an explicit SQL identifier (pivoted cells, whose names come from data).
    init(name: String, sql: String, role: ColumnRole, exact: String?) {
        self.name = name
        self.sql = sql
        self.exact = exact
        self.role = role
    }

    /// The SQL identifiers the column occupies: its own and its exact companion.
    var sqlNames: [String] { [sql] + (exact.map { [$0] } ?? []) }

    /// The value for display: the exact text when there is one, else the number.
    var displayExpression: String {
        guard let exact else { return sql }
        return "CASE WHEN \(exact) IS NOT NULL THEN \(exact) ELSE \(sql) END"
    }
}

/// The rows between two steps: the CTE that holds them, their columns and their order.
struct Relation {
    /// The CTE's name.
    var name: String
    var columns: [RelationColumn]
    /// The order rows are shown in (sort keys, then the default order): SQL identifiers of
    /// columns, each ascending or descending; NULLs always last.
    var order: [(sql: String, descending: Bool)]
    /// CTEs whose rows together are the rows of `name` (a `UNION ALL` of them), each with
    /// the same columns: the last statement reads them one by one when no step follows.
    var arms: [String] = []
    /// An arm that is the whole answer when it holds `rows` rows (an SQL expression), with
    /// no warning: ``CompiledQuery/shortcut`` (set by `convert`'s direct path, when every
    /// series has a whole figure for every target period).
    var shortcut: (arm: String, rows: String)?

    /// Hidden columns every source row has.
    static let firstMonth = "$fm", lastMonth = "$lm", rule = "$rule", additive = "$add", seriesID = "$sid"
    /// The level of the row's region as a number (``Compilation/levelRank``), when the source
    /// carries it for a `group by`.
    static let levelRank = "$lvl"

    func column(_ name: String) -> RelationColumn? { columns.first { $0.name == name } }

    func has(_ name: String) -> Bool { column(name) != nil }

    /// `ORDER BY` terms for the order, keeping only columns that still exist.
    var orderTerms: String { orderTerms(qualifiedBy: nil) }

    /// ``orderTerms`` with each column prefixed by `table`, for an `ORDER BY` beside a
    /// select list whose aliases (the displayed `value`) would otherwise take precedence.
    func orderTerms(qualifiedBy table: String?) -> String {
        let present = Set(allSQLNames)
        let prefix = table.map { $0 + "." } ?? ""
        return order.filter { present.contains($0.sql) }
            .map { "\(prefix)\($0.sql) \($0.descending ? "DESC" : "ASC") NULLS LAST" }.joined(separator: ", ")
    }

    var keys: [RelationColumn] { columns.filter { $0.role == .key } }
    var measures: [RelationColumn] { columns.filter { $0.role == .measure } }
    var visible: [RelationColumn] { columns.filter { $0.role != .hidden } }
    var hasPeriod: Bool { has("period") }

    /// The columns that identify a series: keys and hidden per-indicator bookkeeping
    /// (rule, additivity), which is constant for a series.
    var seriesKeys: [String] {
        keys.map(\.sql) + [Self.rule, Self.additive].filter(has).map(SQLText.identifier)
    }

    /// What steps partition, group and join on to keep series apart: the series id while
    /// rows still have one (every key read by `from` depends on it; one integer sorts and
    /// compares faster than every key's text), plus keys a step computed; else
    /// ``seriesKeys``.
    var seriesIdentity: [String] {
        guard has(Self.seriesID) else { return seriesKeys }
        return [SQLText.identifier(Self.seriesID)] + keys.filter { !$0.isSourceKey }.map(\.sql)
    }

    /// Every SQL identifier, in order, for `SELECT` lists that copy the rows.
    var allSQLNames: [String] { columns.flatMap(\.sqlNames) }

    /// The columns whose values change when a step transforms `value`: `value` and, after
    /// `asof … vs …`, `value_vs`.
    var valueColumns: [RelationColumn] { columns.filter { $0.name == "value" || $0.name == "value_vs" } }
}

/// Spelling SQL text that is not user input.
enum SQLText {
    /// A quoted identifier: `"name"`, with any `"` doubled.
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `a IS b` for every pair: null-safe equality for joins on keys that may be NULL; the
    /// series id, never NULL, with `=`, which SQLite can build an automatic index on.
    static func sameKeys(_ keys: [String], _ left: String, _ right: String) -> [String] {
        let seriesID = identifier(Relation.seriesID)
        return keys.map { "\(left).\($0) \($0 == seriesID ? "=" : "IS") \(right).\($0)" }
    }

    /// `PARTITION BY …`, or nothing when there are no terms.
    static func partition(_ terms: [String]) -> String {
        terms.isEmpty ? "" : "PARTITION BY " + terms.joined(separator: ", ")
    }
}

/// The statement being built: common table expressions and the values bound to them.
///
/// Parameters are numbered (`?1`, `?2` …) so a CTE's text may be assembled in any order;
/// every piece of text that came from the query (strings, numbers, names matched in the
/// catalogue) reaches SQLite through ``bind(_:)``, never through the SQL text.
struct SQLBuilder {
    private(set) var ctes: [(name: String, sql: String, materialized: Bool)] = []
    /// CTEs to compute again for each reader even when read several times (cheap to compute,
    /// costly to copy).
    var recomputed: Set<String> = []
    private(set) var parameters: [SQLValue] = []

    /// Adds a value and returns its placeholder.
    mutating func bind(_ value: SQLValue) -> String {
        parameters.append(value)
        return "?\(parameters.count)"
    }

    mutating func bind(_ text: String) -> String { bind(.text(text)) }

    mutating func bind(_ number: Int) -> String { bind(.integer(Int64(number))) }

    /// `IN (?1, ?2 …)` for a list of texts; `IN ()` (never true) for an empty list.
    mutating func list(_ values: [String]) -> String {
        "(" + values.map { bind($0) }.joined(separator: ", ") + ")"
    }

    /// Adds a CTE named `s<n>` and returns its name; a `materialized` one is computed once,
    /// before the statement reads it, instead of being folded into its readers.
    mutating func add(_ sql: String, prefix: String = "s", materialized: Bool = false) -> String {
        let name = "\(prefix)\(ctes.count)"
        ctes.append((name, sql, materialized))
        return name
    }

    /// `WITH …` followed by `body`, with the CTEs `body` reads, directly or through another.
    ///
    /// A CTE read once is marked `NOT MATERIALIZED`, so SQLite folds it into its reader or
    /// streams it instead of copying its rows into a temporary table first (which it does
    /// otherwise when the reader is itself materialized); one read several times is left to
    /// SQLite, which computes it once. A CTE nothing reads is left out (the `UNION ALL` of
    /// arms the last statement reads one by one; a shortcut's unused CTEs): SQLite would only
    /// parse it, and its references would count as readers of the CTEs it reads.
    func statement(_ body: String) -> String {
        guard !ctes.isEmpty else { return body }
        // Readers of each CTE among the statement's parts: the body, then the CTEs that are
        // kept, from the last back (a CTE reads only earlier ones).
        var readers = Array(repeating: 0, count: ctes.count)
        var kept = Array(repeating: false, count: ctes.count)
        for index in ctes.indices.reversed() {
            let name = ctes[index].name
            readers[index] = Self.references(to: name, in: body)
                + ctes.indices[(index + 1)...].reduce(0) { $0 + (kept[$1] ? Self.references(to: name, in: ctes[$1].sql) : 0) }
            kept[index] = readers[index] > 0
        }
        var parts: [String] = []
        for (index, cte) in ctes.enumerated() where kept[index] {
            let hint = cte.materialized ? "MATERIALIZED " : readers[index] == 1 || recomputed.contains(cte.name) ? "NOT MATERIALIZED " : ""
            parts.append("\(cte.name) AS \(hint)(\n  \(cte.sql)\n)")
        }
        return parts.isEmpty ? body : "WITH\n" + parts.joined(separator: ",\n") + "\n" + body
    }

    /// The highest `N` of a placeholder `?N` in `sql` (0 for none). The compiler writes no
    /// `?` in its own text other than placeholders; every value is bound.
    static func highestPlaceholder(in sql: String) -> Int {
        var highest = 0, number = -1
        for byte in sql.utf8 {
            if byte == UInt8(ascii: "?") {
                number = 0
            } else if number >= 0, byte >= 0x30, byte <= 0x39 {
                number = number * 10 + Int(byte - 0x30)
            } else {
                highest = max(highest, number)
                number = -1
            }
        }
        return max(highest, number)
    }

    /// How many times `name` (a CTE name: letters then digits) occurs as a whole word in `sql`.
    /// Counting too many only leaves a CTE to SQLite's default. Bytes, not characters (the
    /// names are ASCII; any byte of a non-ASCII character counts as part of a word): a
    /// Foundation search per CTE and reader took most of a query's compile time.
    static func references(to name: String, in sql: String) -> Int {
        let needle = Array(name.utf8), text = Array(sql.utf8)
        guard let first = needle.first, text.count >= needle.count else { return 0 }
        func isWord(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x24 || b >= 0x80
        }
        var count = 0, i = 0
        while i <= text.count - needle.count {
            if text[i] == first && text[i..<(i + needle.count)].elementsEqual(needle) {
                let end = i + needle.count
                if (i == 0 || !isWord(text[i - 1])) && (end == text.count || !isWord(text[end])) { count += 1 }
                i = end
            } else {
                i += 1
            }
        }
        return count
    }
}
