import AlmanacSQLite

/// Steps that compare a value with another: `growth`, `change`, `ytd`, `rebase`, `ratio`,
/// `deflate`. Every comparison is a join on the period's month ordinals, never an offset in
/// rows, so a missing period gives NULL rather than the wrong neighbour.
extension Compilation {
    /// The select list of the current columns read from alias `c`, with each value column
    /// (`value`, `value_vs`) replaced by `compute(its SQL identifier)` and its exact text
    /// dropped; `revision` follows; `unit` becomes `unit` when given.
    func replacingValues(unit: String? = nil, _ compute: (String) -> String) -> String {
        var select: [String] = []
        for column in relation.columns {
            if column.name == "value" || column.name == "value_vs" {
                select.append("\(compute(column.sql)) AS \(column.sql)")
                if let exact = column.exact { select.append("NULL AS \(exact)") }
            } else if column.name == "revision" {
                select.append("\(compute(SQLText.identifier("value_vs"))) - \(compute(SQLText.identifier("value"))) AS \(column.sql)")
            } else if column.name == "unit", let unit {
                select.append("\(unit) AS \(column.sql)")
            } else {
                select += column.sqlNames.map { "c.\($0)" }
            }
        }
        return select.joined(separator: ", ")
    }

    /// `growth` (percent) or `change` (difference) against the previous period of the same
    /// length (`pop`) or the same months a year earlier (`yoy`).
    ///
    /// The row compared with is found by a window over the series' periods of the same length
    /// (and, for `yoy`, the same position in the year), ordered by month; it counts only when
    /// its months are exactly the ones wanted, so a missing period gives NULL, never another
    /// row's value — the meaning of a join on the period, with one sort instead of a join.
    /// When the rows are the source's as read (``previousByKey(_:)``), it is that join: the
    /// row compared with is looked up by its period text, the key.
    mutating func compare(_ comparison: Comparison, percent: Bool) {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let length = "(\(lm) - \(fm) + 1)"
        var partition = relation.seriesIdentity + [length]
        let wanted: String
        switch comparison {
        case .pop: wanted = "\(length) IN (1, 3, 6, 12) AND c.\"$pfm\" = c.\(fm) - \(length)"
        case .yoy:
            partition.append("\(fm) % 12")
            wanted = "c.\"$pfm\" = c.\(fm) - 12"
        }
        let windowed = previousByKey(comparison) ?? lagged(partition: partition)
        let unit = percent ? builder.bind("percent") : nil
        let select = replacingValues(unit: unit) { value in
            let before = Self.previous(value)
            let result = percent ? "(c.\(value) * 1.0 / NULLIF(c.\(before), 0) - 1) * 100" : "(c.\(value) - c.\(before))"
            return "(CASE WHEN \(wanted) THEN \(result) END)"
        }
        addStep("SELECT \(select)\n  FROM \(windowed) c")
    }

    /// A CTE of the current rows with, from the row a year (`yoy`) or one period (`pop`)
    /// earlier, its first month (`$pfm`) and each value column (`$p:value` …), the values
    /// looked up by its period text: when the rows are the source's current observations as read
    /// (filters and `during` only, no `asof`), where each series has one row per period
    /// text, reached through the primary key. Nil otherwise. (Sorting every row of the
    /// source with all its columns for a window cost more than the lookups.)
    mutating func previousByKey(_ comparison: Comparison) -> String? {
        let sid = SQLText.identifier(Relation.seriesID)
        guard readsCurrentSourceRows, relation.seriesIdentity == [sid],
              let period = relation.columns.first(where: { $0.role == .period })?.sql else { return nil }
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let back = comparison == .yoy ? "12" : "(c.\(lm) - c.\(fm) + 1)"
        let text = Self.periodText(first: "(c.\(fm) - \(back))", last: "(c.\(lm) - \(back))")
        // Scalar subqueries, not a LEFT JOIN: SQLite does not flatten a join (the source) on
        // the right of a LEFT JOIN, and would copy and scan it for every row.
        // With no `where` on the rows, the row looked up is the series' current observation
        // of that text, read from the table: through the source, SQLite would scan the series
        // CTE for every lookup to join it back.
        let direct = !rowsFiltered && relation.valueColumns.map(\.name) == ["value"]
        func lookup(_ column: String, as name: String) -> String {
            direct ? "(SELECT p.\(Self.observationColumn[column] ?? column) FROM observations p WHERE p.series_id = c.\(sid) AND p.period = \(text)) AS \(name)"
                : "(SELECT p.\(column) FROM \(relation.name) p WHERE p.\(sid) = c.\(sid) AND p.\(period) = \(text)) AS \(name)"
        }
        // The row looked up is the one of exactly those months: found, it starts `back`
        // months earlier; missing, its values are NULL and so is every result. So `$pfm` is
        // that month, not a lookup of its own.
        var columns = ["(c.\(fm) - \(back)) AS \"$pfm\""]
        for column in relation.valueColumns { columns.append(lookup(column.sql, as: Self.previous(column.sql))) }
        // Only the rows the `during` right after keeps need the lookups (the rows a year
        // earlier are read to be looked up, not shown).
        builder.recomputed.insert(relation.name)
        return builder.add("SELECT c.*, \(columns.joined(separator: ", ")) FROM \(relation.name) c\(keptByDuringAfter())", prefix: "w")
    }

    /// ` WHERE` the row (alias `c`) lies within the periods of the `during`s that apply right
    /// after this step, or nothing when none does: a step that looks rows up needs to do so
    /// only for the rows shown.
    mutating func keptByDuringAfter() -> String {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let kept = periodsAfterStep.map { selections in
            "(" + selections.map { "(c.\(fm) >= \(builder.bind($0.months.lowerBound)) AND c.\(lm) <= \(builder.bind($0.months.upperBound)))" }
                .joined(separator: " OR ") + ")"
        }
        return kept.isEmpty ? "" : " WHERE " + kept.joined(separator: " AND ")
    }

    /// Whether the period of a row (alias `c`) is a whole month, quarter, half or year, as
    /// `ytd` cumulates it (a cumulative run, or months not aligned as a quarter or half, are
    /// not).
    static func aligned(_ length: String) -> String {
        "\(length) IN (1, 3, 6, 12) AND c.\(SQLText.identifier(Relation.firstMonth)) % \(length) = 0"
    }

    /// A CTE of the current rows with, from the row before in the window `partition` ordered
    /// by first month, its first month (`$pfm`) and each value column (`$p:value` …).
    mutating func lagged(partition: [String]) -> String {
        let fm = SQLText.identifier(Relation.firstMonth)
        var columns = ["lag(\(fm)) OVER w AS \"$pfm\""]
        for column in relation.valueColumns { columns.append("lag(\(column.sql)) OVER w AS \(Self.previous(column.sql))") }
        return builder.add("SELECT *, \(columns.joined(separator: ", ")) FROM \(relation.name)"
                           + " WINDOW w AS (\(SQLText.partition(partition)) ORDER BY \(fm))", prefix: "w")
    }

    /// The column holding the previous row's value of the value column `value` (quoted).
    static func previous(_ value: String) -> String { SQLText.identifier("$p:" + String(value.dropFirst().dropLast())) }

    /// `ytd [sum|avg]`: from January to each period, over the periods of the same frequency
    /// (months, quarters, halves; a year is its own total); a year with a period missing
    /// before this one gives NULL, never a partial total. A period of another length (a
    /// cumulative run, or months not aligned as a quarter or half) gives NULL.
    ///
    /// A window over each series' periods of the year and length, ordered by month; when
    /// the rows are the source's current observations as read (``yearToDateByKey(_:)``), a
    /// lookup of the year's periods up to this one, by their text.
    mutating func yearToDate(_ method: CumulationMethod?) {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let length = "(c.\(lm) - c.\(fm) + 1)"
        if yearToDateByKey(method) { return }
        let partition = relation.seriesIdentity.map { "c.\($0)" } + ["c.\(fm) / 12", length, "c.\(fm) % \(length)"]
        let window = "OVER (\(SQLText.partition(partition)) ORDER BY c.\(fm))"
        let select = replacingValues { value in
            let combined = cumulation(method) { "\($0)(c.\(value)) \(window)" }
            return "(CASE WHEN \(Self.aligned(length)) AND count(c.\(value)) \(window) = (c.\(fm) % 12) / \(length) + 1"
                + " THEN \(combined) END)"
        }
        addStep("SELECT \(select) FROM \(relation.name) c")
    }

    /// `sum` or `avg` by `method`, or by each indicator's rule (flows sum, the others
    /// average): one aggregate when the indicators read share it (SQLite computes every
    /// aggregate of a CASE for every row). `aggregate` writes the call of a function.
    func cumulation(_ method: CumulationMethod?, _ aggregate: (String) -> String) -> String {
        let rules = Set(checked.indicators.map(\.rule))
        switch method {
        case .sum?: return aggregate("sum")
        case .avg?: return aggregate("avg")
        case nil where rules == [.flow]: return aggregate("sum")
        case nil where !rules.contains(.flow): return aggregate("avg")
        case nil: return "(CASE c.\"$rule\" WHEN 'flow' THEN \(aggregate("sum")) ELSE \(aggregate("avg")) END)"
        }
    }

    /// `ytd` as lookups, when the rows are the source's current observations as read (filters
    /// and `during` only, no `asof`, no `where` on the rows): each row's year to date is the
    /// series' observations of the same length whose text runs from the year's first period
    /// of that frequency (`2024-01`, `2024-Q1`, `2024-H1`, `2024`) to the row's own, one range
    /// of the primary key (the cumulative runs among the months have another length), within
    /// the source's window. Only the rows the `during` after keeps are looked up. Sorting
    /// every row with all its columns for a window cost more than the lookups. False when
    /// the rows are not such.
    mutating func yearToDateByKey(_ method: CumulationMethod?) -> Bool {
        let sid = SQLText.identifier(Relation.seriesID)
        guard readsCurrentSourceRows, !rowsFiltered, relation.seriesIdentity == [sid], relation.valueColumns.map(\.name) == ["value"],
              let period = relation.columns.first(where: { $0.role == .period })?.sql else { return false }
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let length = "(c.\(lm) - c.\(fm) + 1)", year = "c.\(fm) / 12"
        let first = "(CASE c.\(lm) - c.\(fm) WHEN 0 THEN printf('%04d-01', \(year)) WHEN 2 THEN printf('%04d-Q1', \(year))"
            + " WHEN 5 THEN printf('%04d-H1', \(year)) ELSE printf('%04d', \(year)) END)"
        let window = windowConditions("p", byKey: false).map { " AND " + $0 }.joined()
        let lookup = "(SELECT CASE WHEN count(p.value_num) = (c.\(fm) % 12) / \(length) + 1 THEN \(cumulation(method) { "\($0)(p.value_num)" }) END"
            + " FROM observations p WHERE p.series_id = c.\(sid) AND p.period >= \(first) AND p.period <= c.\(period)"
            + " AND p.last_month - p.first_month = c.\(lm) - c.\(fm)\(window))"
        let select = replacingValues { _ in "(CASE WHEN \(Self.aligned(length)) THEN \(lookup) END)" }
        addStep("SELECT \(select) FROM \(relation.name) c\(keptByDuringAfter())")
        return true
    }

    /// `decumulate [sum|avg]`: the inverse of `ytd`, year-to-date figures back into the
    /// figures of single periods.
    ///
    /// Which rows are year-to-date figures: after `ytd`, every row (its value runs from
    /// January to the end of its period, and keeps its period); otherwise the rows whose
    /// period starts in January (`2021-Q1`, `2021-H1`, `2021-01..2021-09`, `2021`), the
    /// cumulative figures agencies publish; other rows are left out with a warning. Per
    /// series and year, in order of the last month, each figure minus the one before it is
    /// the figure of the months in between: `2021-01..2021-09` minus `2021-H1` is `2021-Q3`,
    /// and the row's period becomes those months. The first figure of a year stands as it is.
    /// After `ytd`, the figure before must be the period just before, of the same length, or
    /// the result is empty (as `ytd` is when a period is missing).
    ///
    /// `sum` differences; `avg` undoes an average over months: with `n` and `p` the months
    /// from January to the ends of the two figures, `(value × n − before × p) / (n − p)`.
    /// Without a method, each indicator's rule (flows `sum`, the others `avg`, like `ytd`).
    mutating func decumulate(_ method: CumulationMethod?, afterYearToDate: Bool) {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let plm = SQLText.identifier("$plm"), source = relation.name
        var partition = relation.seriesIdentity + ["\(fm) / 12"]
        if afterYearToDate { partition.append("\(lm) - \(fm)") }
        var lagged = ["lag(\(lm)) OVER w AS \(plm)"]
        for column in relation.valueColumns {
            lagged.append("lag(\(column.sql)) OVER w AS \(SQLText.identifier("$p:" + column.name))")
        }
        let meta = ["status", "known_from"].compactMap { relation.column($0) }
        if !afterYearToDate {
            for column in meta { lagged.append("lag(\(column.sql)) OVER w AS \(SQLText.identifier("$p:" + column.name))") }
        }
        let january = "\(fm) % 12 = 0"
        let windowed = builder.add("SELECT *, \(lagged.joined(separator: ", ")) FROM \(source)"
                                   + (afterYearToDate ? "" : " WHERE \(january)")
                                   + " WINDOW w AS (\(SQLText.partition(partition)) ORDER BY \(lm))", prefix: "y")
        let n = "(c.\(lm) % 12 + 1)", p = "(c.\(plm) % 12 + 1)"
        let first = afterYearToDate ? "c.\(fm) % 12 = 0" : "c.\(plm) IS NULL"
        let follows = afterYearToDate ? "c.\(plm) = c.\(fm) - 1" : "1"
        let newFirst = afterYearToDate ? "c.\(fm)" : "(CASE WHEN c.\(plm) IS NULL THEN c.\(fm) ELSE c.\(plm) + 1 END)"
        func piece(_ value: String) -> String {
            let before = "c." + SQLText.identifier("$p:" + String(value.dropFirst().dropLast()))
            let difference = "(c.\(value) - \(before))"
            let average = "((c.\(value) * \(n) - \(before) * \(p)) * 1.0 / (\(n) - \(p)))"
            let combined: String = switch method {
            case .sum?: difference
            case .avg?: average
            case nil: "(CASE c.\"$rule\" WHEN 'flow' THEN \(difference) ELSE \(average) END)"
            }
            return "(CASE WHEN \(first) THEN c.\(value) WHEN \(follows) THEN \(combined) END)"
        }
        var select: [String] = []
        for column in relation.columns {
            let before = "c." + SQLText.identifier("$p:" + column.name)
            switch column.name {
            case "value", "value_vs":
                select.append("\(piece(column.sql)) AS \(column.sql)")
                if let exact = column.exact { select.append("NULL AS \(exact)") }
            case "revision":
                let revision = "\(piece(SQLText.identifier("value_vs"))) - \(piece(SQLText.identifier("value")))"
                select.append("\(revision) AS \(column.sql)")
            case "period" where !afterYearToDate:
                // The row now covers the months after the figure before it.
                select.append("\(Self.periodText(first: newFirst, last: "c.\(lm)")) AS \(column.sql)")
            case Relation.firstMonth where !afterYearToDate:
                select.append("\(newFirst) AS \(fm)")
            case "known_from" where !afterYearToDate:
                select.append("(CASE WHEN \(before) > c.\(column.sql) THEN \(before) ELSE c.\(column.sql) END) AS \(column.sql)")
            case "status" where !afterYearToDate:
                select.append("(CASE WHEN \(before) IS NULL OR \(before) = c.\(column.sql) THEN c.\(column.sql) ELSE 'mixed' END) AS \(column.sql)")
            default:
                select += column.sqlNames.map { "c.\($0)" }
            }
        }
        if !afterYearToDate {
            let unfit = " row(s) whose period does not start in January are not year-to-date figures and were left out"
            warnings.append("SELECT CASE WHEN count(*) > 0 THEN \(builder.bind("decumulate: ")) || count(*) || \(builder.bind(unfit)) END"
                            + " AS message FROM \(source) WHERE NOT (\(january))")
        }
        addStep("SELECT \(select.joined(separator: ", ")) FROM \(windowed) c")
    }

    /// The canonical text of the period of months `first`...`last` (SQL expressions of
    /// ordinals in one year): a year, half, quarter, month, or a run `2021-04..2021-09`, as
    /// `Period.description` writes it (`PeriodTextTests` checks every run of months).
    static func periodText(first: String, last: String) -> String {
        let year = "(\(first) / 12)", month = "(\(first) % 12 + 1)"
        return "(CASE WHEN \(last) - \(first) = 11 THEN printf('%04d', \(year))"
            + " WHEN \(last) - \(first) = 5 AND \(first) % 6 = 0 THEN printf('%04d-H%d', \(year), \(first) % 12 / 6 + 1)"
            + " WHEN \(last) - \(first) = 2 AND \(first) % 3 = 0 THEN printf('%04d-Q%d', \(year), \(first) % 12 / 3 + 1)"
            + " WHEN \(last) = \(first) THEN printf('%04d-%02d', \(year), \(month))"
            + " ELSE printf('%04d-%02d..%04d-%02d', \(year), \(month), \(last) / 12, \(last) % 12 + 1) END)"
    }

    /// `rebase <period> [= base]`: value ÷ the value of the same series in that period × base
    /// (found by a window over the series, not a join).
    mutating func rebase(to period: PeriodLiteral, base: Double) {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let first = builder.bind(period.months.lowerBound), last = builder.bind(period.months.upperBound)
        let partition = SQLText.partition(relation.seriesIdentity)
        let bases = relation.valueColumns.map { column in
            "max(CASE WHEN \(fm) = \(first) AND \(lm) = \(last) THEN \(column.sql) END) OVER (\(partition)) AS \(Self.previous(column.sql))"
        }
        let windowed = builder.add("SELECT *, \(bases.joined(separator: ", ")) FROM \(relation.name)", prefix: "w")
        let factor = builder.bind(.real(base)), unit = builder.bind("index")
        let select = replacingValues(unit: unit) { value in "c.\(value) * \(factor) / NULLIF(c.\(Self.previous(value)), 0)" }
        addStep("SELECT \(select)\n  FROM \(windowed) c")
    }

    /// `ratio <indicator>` (× 100, unit percent) and `deflate <index>` (× 100, unit kept):
    /// value ÷ the other indicator's value for the same region, period and shared dimensions,
    /// read at the same knowledge time. When several rows of the other indicator match (its
    /// dimensions were not narrowed down), the result is NULL and a warning says so.
    mutating func divide(by reference: Located<IndicatorReference>, percent: Bool, at span: SourceSpan) throws {
        let word = percent ? "ratio" : "deflate"
        guard relation.has("region"), relation.hasPeriod else {
            throw QueryError(.semantic, at: span, "\(word) matches rows on region and period, and an earlier step removed them",
                             hints: ["put \(word) before group by or pivot"])
        }
        let others = try Checker(catalogue: catalogue).resolve(reference)
        var otherDimensions: [String] = []
        for dimension in others.flatMap(\.dimensions) where !otherDimensions.contains(dimension.name) {
            otherDimensions.append(dimension.name)
        }
        let filtered = Set(reference.value.filters.map(\.value.dimension.value))
        let shared = otherDimensions.filter { !filtered.contains($0) && relation.column($0)?.role == .key }.map(SQLText.identifier)
        let otherRows = builder.add(vintage(knowledge, references: [reference], dimensions: otherDimensions)
                                        .joined(separator: "\nUNION ALL\n"), prefix: "v")
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let region = SQLText.identifier("region"), value = SQLText.identifier("value")
        let groupKeys = [region, fm, lm] + shared
        let matched = builder.add("SELECT \(groupKeys.joined(separator: ", ")), avg(\(value)) AS \(value), count(*) AS \"$n\""
                                  + " FROM \(otherRows) GROUP BY \(groupKeys.joined(separator: ", "))", prefix: "d")
        let on = groupKeys.map { "o.\($0) IS c.\($0)" }.joined(separator: " AND ")
        let hundred = builder.bind(.real(100))
        let unit = percent ? builder.bind("percent") : nil
        let joined = relation.name
        let select = replacingValues(unit: unit) { v in
            "(CASE WHEN o.\"$n\" = 1 THEN c.\(v) * \(hundred) / NULLIF(o.\(value), 0) END)"
        }
        let message = "\(word) \(QueryPrinter.print(reference.value)): "
        warnings.append("SELECT CASE WHEN count(*) > 0 THEN \(builder.bind(message)) || count(*)"
                        + " || \(builder.bind(" row(s) matched several values of it and were left empty; narrow its dimensions in parentheses")) END"
                        + " AS message FROM \(joined) c JOIN \(matched) o ON \(on) WHERE o.\"$n\" > 1")
        addStep("SELECT \(select)\n  FROM \(joined) c LEFT JOIN \(matched) o ON \(on)")
    }
}
