import AlmanacDomain
import AlmanacSQLite

/// The source: `from …` read at a knowledge time, and `asof … vs …`.
///
/// - `latest` reads `observations`, the current value of each (series, period).
/// - A date reads the version known at the end of that day: `known_from` before the next
///   day and `known_to` open or from the next day on (the open version of `observations`,
///   or a version of `observation_history`).
/// - A log position `@N` reads the version with `seq_from <= N` and `seq_to` open or `> N`.
/// - `first` reads each observation's earliest non-retracted version.
/// A retracted version means "no value": its rows are never read.
extension Compilation {
    /// The dimension columns of the indicators read, in order of first appearance.
    var dimensionNames: [String] {
        var names: [String] = []
        for dimension in checked.indicators.flatMap(\.dimensions) where !names.contains(dimension.name) {
            names.append(dimension.name)
        }
        return names
    }

    mutating func compileSource(versus: KnowledgeTime?, seriesFilters: [String] = []) {
        let base = baseColumns()
        let value = RelationColumn("value", role: .measure, exact: true)
        let valueVersus = RelationColumn("value_vs", role: .measure, exact: true)
        let revision = RelationColumn("revision", role: .measure)
        if versus == .latest {
            let series = seriesCTE(references: checked.query.indicators, dimensions: dimensionNames, filters: seriesFilters)
            sourceSeries = series
            latestSeriesCTE = series
            let (name, arms) = addSource(againstLatest(knowledge, series: series))
            relation = Relation(name: name, columns: base + [valueVersus, revision], order: defaultOrder(base))
            relation.arms = arms
            streamable = false
            return
        }
        let levelRank = groupReadsSource && versus == nil
        let (first, arms) = addSource(vintage(knowledge, references: checked.query.indicators, seriesFilters: seriesFilters,
                                              levelRank: levelRank))
        sourceSeries = latestSeriesCTE
        relation = Relation(name: first, columns: base, order: defaultOrder(base))
        relation.arms = arms
        if levelRank { relation.columns.append(RelationColumn(Relation.levelRank, role: .hidden)) }
        guard let versus else { return }
        let second = builder.add(vintage(versus, references: checked.query.indicators, series: sourceSeries)
                                    .joined(separator: "\nUNION ALL\n"), prefix: "v")
        // Both vintages side by side: a full join on (series, period), written as a grouping
        // of the two sets of rows, which needs one sort where a FULL JOIN (whose sides SQLite
        // does not index) compares every row with every other.
        let names = base.flatMap(\.sqlNames)
        let both = builder.add("SELECT \(names.joined(separator: ", ")), 0 AS \"$side\" FROM \(first)\n  UNION ALL "
                               + "SELECT \(names.joined(separator: ", ")), 1 FROM \(second)", prefix: "u")
        func side(_ n: Int, _ column: String) -> String { "max(CASE WHEN \"$side\" = \(n) THEN \(column) END)" }
        var select: [String] = []
        for column in base where column.role != .measure {
            select.append(column.role == .meta
                ? "COALESCE(\(side(0, column.sql)), \(side(1, column.sql))) AS \(column.sql)" : column.sql)
        }
        select += [
            "\(side(0, value.sql)) AS \(value.sql)", "\(side(0, value.exact!)) AS \(value.exact!)",
            "\(side(1, value.sql)) AS \(valueVersus.sql)", "\(side(1, value.exact!)) AS \(valueVersus.exact!)",
            "\(side(1, value.sql)) - \(side(0, value.sql)) AS \(revision.sql)",
        ]
        let seriesID = SQLText.identifier(Relation.seriesID)
        let months = [Relation.firstMonth, Relation.lastMonth].map(SQLText.identifier)
        relation.columns = base + [valueVersus, revision]
        addStep("SELECT \(select.joined(separator: ", "))\n  FROM \(both) GROUP BY \(([seriesID] + months).joined(separator: ", "))")
        streamable = false
    }

    /// The source's CTE from its arms (SELECTs of the same columns): one arm is the CTE;
    /// several are CTEs of their own (folded into each reader) and a `UNION ALL` of them,
    /// returned as the arms the last statement may read one by one (`Relation.arms`).
    mutating func addSource(_ arms: [String]) -> (name: String, arms: [String]) {
        guard arms.count > 1 else { return (builder.add(arms.first ?? "", prefix: "v"), []) }
        let names = arms.map { builder.add($0, prefix: "v") }
        builder.recomputed.formUnion(names)
        return (builder.add(names.map { "SELECT * FROM \($0)" }.joined(separator: "\n  UNION ALL\n  "), prefix: "v"), names)
    }

    /// `asof T vs latest`, the rows of the pivot above without a grouping: every current
    /// row of the window is the `latest` side, and the version `T` reads of the same key is
    /// the current row itself or one row of the history, looked up by the key; keys with no
    /// current row (retracted since) come from the history rows `T` reads.
    mutating func againstLatest(_ when: KnowledgeTime, series: String) -> [String] {
        let keys = (["indicator", "region", "region_name", "level"] + dimensionNames).map { "e.\(SQLText.identifier($0))" }
        let hidden = ["e.\"$rule\"", "e.\"$add\"", "e.\"$sid\""]
        let current = windowConditions("c")
        let versions = versionConditions(when, current: "c", history: "h")
        let then = "(\(versions.current))"
        // `latest vs latest` reads no history: both sides are the current row.
        func asKnown(_ column: String) -> String {
            versions.history == nil ? "c.\(column)" : "CASE WHEN \(then) THEN c.\(column) ELSE h.\(column) END"
        }
        func meta(_ column: String) -> String {
            versions.history == nil ? "c.\(column) AS \"\(column)\""
                : "CASE WHEN \(then) OR h.series_id IS NULL THEN c.\(column) ELSE h.\(column) END AS \"\(column)\""
        }
        var withCurrent = keys + ["c.period AS \"period\""] + ["unit", "status", "known_from"].map(meta)
        withCurrent += ["c.first_month AS \"$fm\"", "c.last_month AS \"$lm\""] + hidden
        withCurrent += [
            "\(asKnown("value_num")) AS \"value\"", "\(asKnown("value")) AS \"$x:value\"",
            "c.value_num AS \"value_vs\"", "c.value AS \"$x:value_vs\"", "c.value_num - \(asKnown("value_num")) AS \"revision\"",
        ]
        var sql = "SELECT \(withCurrent.joined(separator: ", "))\n  FROM \(series) e JOIN observations c ON c.series_id = e.\"$sid\""
        guard let history = versions.history else {
            return [sql + (current.isEmpty ? "" : "\n  WHERE " + current.joined(separator: " AND "))]
        }
        sql += "\n  LEFT JOIN observation_history h ON h.series_id = c.series_id AND h.period = c.period AND NOT \(then) AND \(history)"
        sql += current.isEmpty ? "" : "\n  WHERE " + current.joined(separator: " AND ")
        let past = windowConditions("h")
        // The same columns under the same names: the last statement may read each arm alone.
        var withoutCurrent = keys + ["h.period AS \"period\"", "h.unit AS \"unit\"", "h.status AS \"status\"", "h.known_from AS \"known_from\"",
                                     "h.first_month AS \"$fm\"", "h.last_month AS \"$lm\""] + hidden
        withoutCurrent += ["h.value_num AS \"value\"", "h.value AS \"$x:value\"", "NULL AS \"value_vs\"", "NULL AS \"$x:value_vs\"", "NULL AS \"revision\""]
        let retracted = "NOT EXISTS (SELECT 1 FROM observations c WHERE c.series_id = h.series_id AND c.period = h.period)"
        var retractedSince = "SELECT \(withoutCurrent.joined(separator: ", "))\n  FROM \(series) e JOIN observation_history h ON h.series_id = e.\"$sid\""
        retractedSince += "\n  WHERE " + (past + [history, retracted]).joined(separator: " AND ")
        return [sql, retractedSince]
    }

    /// The `where` steps at the start of the pipeline (before any step but `during` and
    /// `asof`) whose conditions read only keys of the series — indicator, region, its name
    /// and level, dimensions — compiled against the series CTE, with the indices of those
    /// steps. Such a condition then chooses series before their observations are read: a
    /// region filter reads one region's rows, not every region's. A condition with `within` a
    /// 2025 unit stays where it is (its warning reads the rows); `within` a region group moves.
    mutating func seriesConditions() throws -> (sql: [String], steps: Set<Int>) {
        let base = baseColumns()
        let keys = Set(base.filter(\.isSourceKey).map(\.name))
        var sql: [String] = [], indices: Set<Int> = []
        for (index, step) in steps.enumerated() {
            switch step.value {
            case .during, .asof: continue
            case .filter(let condition):
                let groups = catalogue
                guard let names = Self.columnNames(in: condition, movable: { text in groups.regionGroup(matching: text)?.isBoundaryUnit == false }),
                      names.isSubset(of: keys) else { continue }
                var expressions = ExpressionCompiler(catalogue: catalogue, relation: Relation(name: "", columns: base, order: []))
                sql.append(try expressions.condition(condition, builder: &builder))
                indices.insert(index)
            default:
                return (sql, indices)
            }
        }
        return (sql, indices)
    }

    /// The columns an expression reads, or nil when it has a `within` whose group text
    /// `movable` refuses.
    static func columnNames(in expression: Located<Expression>, movable: (String) -> Bool) -> Set<String>? {
        func names(_ expression: Located<Expression>) -> Set<String>? { columnNames(in: expression, movable: movable) }
        func union(_ parts: [Located<Expression>]) -> Set<String>? {
            var all: Set<String> = []
            for part in parts {
                guard let found = names(part) else { return nil }
                all.formUnion(found)
            }
            return all
        }
        switch expression.value {
        case .column(let name): return [name]
        case .string, .number, .period, .date: return []
        case .unary(_, let operand): return names(operand)
        case .binary(_, let left, let right): return union([left, right])
        case .membership(let subject, let items, _): return union([subject] + items)
        case .within(let subject, let group):
            guard case .string(let text) = group.value, movable(text) else { return nil }
            return names(subject)
        case .call(_, let arguments): return union(arguments)
        }
    }

    /// The columns of source rows, in the order the checker lists them, then hidden ones.
    func baseColumns() -> [RelationColumn] {
        var columns = (["indicator", "region", "region_name", "level"] + dimensionNames).map { name in
            var column = RelationColumn(name, role: .key)
            column.isSourceKey = true
            return column
        }
        columns.append(RelationColumn("period", role: .period))
        columns.append(RelationColumn("value", role: .measure, exact: true))
        columns += ["unit", "status", "known_from"].map { RelationColumn($0, role: .meta) }
        columns += [Relation.firstMonth, Relation.lastMonth, Relation.rule, Relation.additive, Relation.seriesID]
            .map { RelationColumn($0, role: .hidden) }
        return columns
    }

    /// Indicator, region, dimensions, then the period.
    func defaultOrder(_ columns: [RelationColumn]) -> [(sql: String, descending: Bool)] {
        (columns.filter { $0.role == .key && $0.name != "region_name" && $0.name != "level" }.map(\.sql)
            + [Relation.firstMonth, Relation.lastMonth].map(SQLText.identifier)).map { ($0, false) }
    }

    /// The rows of the indicators `references` name, as known at `when`, with every column
    /// of ``baseColumns()``.
    ///
    /// Two parts: the series read, with their region, indicator and dimension columns,
    /// computed once per series (a materialized CTE: `json_extract` runs per series, not per
    /// row); then their observations through the primary key (series, period). When the
    /// months to read are known, the period is also bounded by the text of its years —
    /// every period's canonical text starts with its four-digit year — so SQLite reads a
    /// range of the key instead of every period of each series.
    ///
    /// - Parameters:
    ///   - series: A series CTE made by an earlier call with the same references, to reuse.
    ///   - seriesFilters: Conditions on the series' key columns (see ``seriesConditions()``).
    mutating func vintage(_ when: KnowledgeTime, references: [Located<IndicatorReference>], dimensions: [String]? = nil,
                          series reused: String? = nil, seriesFilters: [String] = [], levelRank: Bool = false) -> [String] {
        let names = dimensions ?? dimensionNames
        let series = reused ?? seriesCTE(references: references, dimensions: names, filters: seriesFilters)
        latestSeriesCTE = series
        var select = ["e.\"indicator\"", "e.\"region\"", "e.\"region_name\"", "e.\"level\""]
        select += names.map { "e.\(SQLText.identifier($0))" }
        select += Self.observationColumns.map { "o.\($0.column) AS \($0.name)" }
        select += ["e.\"$rule\"", "e.\"$add\"", "e.\"$sid\""]
        if levelRank { select.append("e.\(SQLText.identifier(Relation.levelRank))") }
        return observations(when, of: series, select: select)
    }

    /// The source's columns read from a row of `observations` (or of `observation_history`,
    /// which has the same columns): quoted name, then the table's column, in the source's
    /// order. The other columns come from the series CTE.
    static let observationColumns: [(name: String, column: String)] = [
        ("period", "period"), ("value", "value_num"), ("$x:value", "value"), ("unit", "unit"), ("status", "status"),
        ("known_from", "known_from"), (Relation.firstMonth, "first_month"), (Relation.lastMonth, "last_month"),
    ].map { (SQLText.identifier($0.0), $0.1) }

    /// ``observationColumns`` by quoted name.
    static let observationColumn = Dictionary(uniqueKeysWithValues: observationColumns.map { ($0.name, $0.column) })

    /// The series CTE (materialized): one row per series read, with its key columns.
    mutating func seriesCTE(references: [Located<IndicatorReference>], dimensions names: [String], filters: [String]) -> String {
        var seriesColumns = [
            "se.id AS \"$sid\"", "se.indicator AS \"indicator\"", "se.region AS \"region\"",
            "COALESCE(r.name, se.region) AS \"region_name\"", "r.level AS \"level\"",
        ]
        for name in names {
            seriesColumns.append("json_extract(se.dims_json, \(builder.bind(Self.jsonPath(name)))) AS \(SQLText.identifier(name))")
        }
        seriesColumns += ["i.aggregation AS \"$rule\"", "i.additive AS \"$add\"",
                          "\(Self.levelRank(of: "r.level")) AS \(SQLText.identifier(Relation.levelRank))"]
        let chosen = "(" + references.map { indicatorCondition($0) }.joined(separator: " OR ") + ")"
        var sql = "SELECT \(seriesColumns.joined(separator: ", "))\n  FROM series se JOIN indicators i ON i.code = se.indicator"
            + " LEFT JOIN regions r ON r.code = se.region WHERE \(chosen)"
        if !filters.isEmpty { sql = "SELECT * FROM (\(sql))\n  WHERE " + filters.joined(separator: " AND ") }
        return builder.add(sql, prefix: "e", materialized: true)
    }

    /// The conditions the `during` window puts on the rows of table alias `o`: the months,
    /// and (`byKey`) the years' range of period texts, by which SQLite reads them through the
    /// key; a lookup with a key range of its own leaves that out.
    mutating func windowConditions(_ o: String, byKey: Bool = true) -> [String] {
        guard let window = sourceWindow, let first = window.map(\.lowerBound).min(), let last = window.map(\.upperBound).max() else { return [] }
        var conditions: [String] = []
        let (firstYear, lastYear) = (Self.year(ofOrdinal: first), Self.year(ofOrdinal: last))
        if byKey, firstYear >= 0, lastYear < 9999 {
            // `+` keeps SQLite from reading through the key by this range when `convert`
            // looks its periods up by text (``convertLooksUpPeriods``).
            let column = convertLooksUpPeriods ? "+\(o).period" : "\(o).period"
            conditions.append("\(column) >= \(builder.bind(Self.yearText(firstYear))) AND \(column) < \(builder.bind(Self.yearText(lastYear + 1)))")
            // A period lies within one year, so when the window is every month of those years,
            // the range of texts says all the months do.
            if Self.covers(window, from: firstYear * 12, through: lastYear * 12 + 11) { return conditions }
        }
        let ranges = window.map { "(\(o).first_month >= \(builder.bind($0.lowerBound)) AND \(o).last_month <= \(builder.bind($0.upperBound)))" }
        conditions.append("(" + ranges.joined(separator: " OR ") + ")")
        return conditions
    }

    /// Whether the ranges of month ordinals in `window` together hold every month from
    /// `first` through `last`.
    static func covers(_ window: [ClosedRange<Int>], from first: Int, through last: Int) -> Bool {
        var next = first
        for range in window.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            guard range.lowerBound <= next else { return false }
            next = max(next, range.upperBound + 1)
            if next > last { return true }
        }
        return next > last
    }

    /// Which versions `when` reads: the condition on a current row (alias `c`) of
    /// `observations`, which holds each key's open version with a value, and the one on a
    /// row (alias `h`) of `observation_history`, which holds every other version (nil: none
    /// is read). A key's versions in the history are all older than its current row.
    mutating func versionConditions(_ when: KnowledgeTime, current c: String, history h: String) -> (current: String, history: String?) {
        func earlier(_ o: String) -> String {
            "FROM observation_history f WHERE f.series_id = \(o).series_id AND f.period = \(o).period AND f.kind <> 'retracted'"
        }
        switch when {
        case .latest:
            return ("1", nil)
        case .first:
            return ("NOT EXISTS (SELECT 1 \(earlier(c)))", "\(h).kind <> 'retracted' AND \(h).seq_from = (SELECT min(f.seq_from) \(earlier(h)))")
        case .date(let date):
            let nextDay = builder.bind(Self.dayAfter(date))
            return ("\(c).known_from < \(nextDay)",
                    "\(h).kind <> 'retracted' AND \(h).known_from < \(nextDay) AND (\(h).known_to IS NULL OR \(h).known_to >= \(nextDay))")
        case .position(let position):
            let sequence = builder.bind(.integer(Int64(clamping: position)))
            return ("\(c).seq <= \(sequence)",
                    "\(h).kind <> 'retracted' AND \(h).seq_from <= \(sequence) AND (\(h).seq_to IS NULL OR \(h).seq_to > \(sequence))")
        }
    }

    /// The observations of the series CTE `series` as known at `when`, selecting `select`:
    /// the current rows it reads and, unless it is `latest`, the history's.
    mutating func observations(_ when: KnowledgeTime, of series: String, select: [String]) -> [String] {
        let window = windowConditions("o")
        let versions = versionConditions(when, current: "o", history: "o")
        func rows(_ table: String, _ more: [String]) -> String {
            let all = window + more
            return "SELECT \(select.joined(separator: ", "))\n  FROM \(series) e JOIN \(table) o ON o.series_id = e.\"$sid\""
                + (all.isEmpty ? "" : "\n  WHERE " + all.joined(separator: " AND "))
        }
        guard let history = versions.history else { return [rows("observations", [])] }
        return [rows("observations", [versions.current]), rows("observation_history", [history])]
    }

    /// The year of a month ordinal (`year * 12 + month - 1`), also for negative ordinals.
    static func year(ofOrdinal ordinal: Int) -> Int { (ordinal - ((ordinal % 12) + 12) % 12) / 12 }

    /// A year as periods spell it: four digits (0...9999).
    static func yearText(_ year: Int) -> String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `se.indicator IN (…) AND json_extract(se.dims_json, …) IN (…)` for one reference, each
    /// dimension's test preceded by a substring test on `dims` that every match passes.
    mutating func indicatorCondition(_ reference: Located<IndicatorReference>) -> String {
        let indicators = (try? Checker(catalogue: catalogue).resolve(reference)) ?? []
        var parts = ["se.indicator IN " + builder.list(indicators.map(\.code))]
        for filter in reference.value.filters {
            let name = filter.value.dimension.value
            let allowed = indicators.flatMap(\.dimensions).filter { $0.name == name }.flatMap(\.values)
            let values = filter.value.values.map { Self.canonical($0.value, among: allowed) }
            // `name=value` is a part of `dims` (`k=v;k=v`) when the series has that value: a
            // substring test, much cheaper than parsing the JSON, first sets aside most series
            // that do not; the JSON decides. (Comparing `dims` with the whole text would be
            // cheaper still, but would miss a series written before the indicator gained a
            // dimension.)
            if !values.isEmpty, values.count <= 8 {
                let texts = values.map { "instr(se.dims, \(builder.bind("\(name)=\($0)"))) > 0" }
                parts.append("(" + texts.joined(separator: " OR ") + ")")
            }
            parts.append("json_extract(se.dims_json, \(builder.bind(Self.jsonPath(name)))) IN \(builder.list(values))")
        }
        return "(" + parts.joined(separator: " AND ") + ")"
    }

    /// The JSON path of a dimension in `series.dims_json`.
    static func jsonPath(_ dimension: String) -> String {
        "$.\"" + dimension.replacingOccurrences(of: "\"", with: "") + "\""
    }

    /// The catalogue's spelling of `value` when one matches it without accents and case.
    static func canonical(_ value: String, among allowed: [String]) -> String {
        let folded = FoldedText.of(value)
        return allowed.first { FoldedText.of($0) == folded } ?? value
    }

    /// The day after `date`, `YYYY-MM-DD`: `known_from < next day` is "known by the end of `date`"
    /// for every precision of the stored times.
    static func dayAfter(_ date: DateLiteral) -> String {
        var (year, month, day) = (date.year, date.month, date.day + 1)
        if day > DateLiteral.daysIn(month: month, year: year) { (month, day) = (month + 1, 1) }
        if month > 12 { (year, month) = (year + 1, 1) }
        return DateLiteral(year: year, month: month, day: day).description
    }
}
