import AlmanacDomain
import AlmanacSQLite

/// `convert` and `group by`: steps that combine rows.
extension Compilation {
    /// The level of a row as a number, finest largest: provinces 3, regions 2, the nation 1.
    static let levelRank = levelRank(of: "\"level\"")

    /// ``levelRank`` of the level in `column` (an SQL expression).
    static func levelRank(of column: String) -> String {
        "(CASE \(column) WHEN 'province' THEN 3 WHEN 'region' THEN 2 WHEN 'nation' THEN 1 ELSE 0 END)"
    }

    /// The text of the period of `months` months starting at ordinal `first` (an SQL expression).
    static func periodLabel(first: String, months: Int) -> String {
        switch months {
        case 12: return "printf('%04d', \(first) / 12)"
        case 6: return "printf('%04d-H%d', \(first) / 12, (\(first) % 12) / 6 + 1)"
        case 3: return "printf('%04d-Q%d', \(first) / 12, (\(first) % 12) / 3 + 1)"
        default: return "printf('%04d-%02d', \(first) / 12, \(first) % 12 + 1)"
        }
    }

    /// `sum`, `avg` or `last` of a measure; without a method, each indicator's rule (flows
    /// sum, stocks take the last, indices and rates average). `last` reads the row whose
    /// window position `$rn` is 1.
    static func combine(_ measure: String, method: String?) -> String {
        let last = "max(CASE WHEN \"$rn\" = 1 THEN \(measure) END)"
        switch method {
        case "sum": return "sum(\(measure))"
        case "avg": return "avg(\(measure))"
        case "last": return last
        default: return "(CASE \"$rule\" WHEN 'flow' THEN sum(\(measure)) WHEN 'stock' THEN \(last) ELSE avg(\(measure)) END)"
        }
    }

    /// Meta columns of combined rows: one unit and status when all agree (`mixed` when not),
    /// and the latest `known_from`: a total is known once its last part is.
    func combinedMeta(_ column: RelationColumn) -> String {
        let c = column.sql
        if column.name == "known_from" { return "max(\(c)) AS \(c)" }
        return "(CASE WHEN min(\(c)) = max(\(c)) THEN min(\(c)) ELSE 'mixed' END) AS \(c)"
    }

    /// `convert <frequency> [method]`.
    ///
    /// Each row whose period is a whole month, quarter, half or year fitting in one target
    /// period joins that period's bucket. A row that is the whole target period (an annual
    /// figure, for `convert annual`) is the bucket's answer as it stands. The other rows of
    /// buckets without one are combined per length, preferring the longest length that
    /// covers every month; a bucket no length covers gives no row and a warning; rows that do
    /// not fit (a year converted to quarters, a cumulative run) are left out with a warning.
    ///
    /// In SQL: the whole figures are one CTE (materialized, probed through an automatic
    /// index), the other rows of buckets that have none are grouped — usually few, so the
    /// rows an agency already totalled are never sorted. Rows that do not fit go through the
    /// grouping as length 0, which is never picked, so their warning counts groups. When
    /// every key comes from the series, only the series id goes through the grouping and the
    /// keys are joined back from the series CTE. The window that finds each bucket's last row
    /// runs only when `last` can be asked for (the method `last`, or a stock and no method).
    ///
    /// When the rows are the current observations as read, over a bounded `during`
    /// (``wholeLabels(months:)``), the whole figures are looked up by their period text
    /// (the primary key) for every series and target period, and only the buckets left
    /// without one read their rows (each row goes to the bucket of its first month). Rows
    /// that do not fit are then only counted in those buckets: beside a year's own annual
    /// figure, its cumulative runs are not "left out", they are not needed.
    mutating func convert(to frequency: Frequency, method: ConversionMethod?) {
        let months = frequency.months
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let identity = relation.seriesIdentity
        let seriesID = SQLText.identifier(Relation.seriesID)
        let keysFrom = relation.has(Relation.seriesID) && relation.keys.allSatisfy(\.isSourceKey) ? sourceSeries : nil
        var carried = keysFrom == nil ? relation.seriesKeys : [SQLText.identifier(Relation.rule)]
        if relation.has(Relation.seriesID) { carried.append(seriesID) }
        // The length of a row's period, and whether it fits in one target period (of rows
        // read as they are, or as `b` in a join).
        func fitting(_ table: String) -> (length: String, fits: String) {
            let fm = table + fm, lm = table + lm, length = "(\(lm) - \(fm) + 1)"
            return (length, "\(length) IN (1, 3, 6, 12) AND \(fm) % \(length) = 0 AND \(length) <= \(months)")
        }
        let (length, fits) = fitting(""), target = "(\(fm) - \(fm) % \(months))"
        let isWhole = "\(length) = \(months) AND \(fm) % \(months) = 0"
        let source = relation.name
        let needsLast = method == .last || (method == nil && checked.indicators.contains { $0.rule == .stock })
        let readColumns = keysFrom == nil ? ["*"]
            : carried + relation.columns.filter { $0.role == .measure || $0.role == .meta }.flatMap(\.sqlNames)
        var whole: String, bucketed: String
        // The whole figures looked up in `observations` by the last step (see below).
        var direct: (labels: TargetPeriods, window: [String])?
        // Rows that do not fit are counted by a scan of the rows when they are cheap to read
        // again, else carried through the grouping as length 0.
        let unfitByScan: Bool
        if convertLooksUpPeriods, let labels = wholeLabels(months: months), let keysFrom, identity == [seriesID],
           let period = relation.columns.first(where: { $0.role == .period })?.sql {
            // The figures of whole target periods are looked up by their period text (the
            // key), and only the buckets left without one read their other rows: a whole
            // year of months, quarters and cumulative runs is not read to be set aside.
            builder.recomputed.insert(source)
            let missing: String
            if !rowsFiltered, stepIsLast, Self.readsAsObservations(relation.columns) {
                // No `where` on the rows, and no step after: a whole figure is the series'
                // current observation of that text within the window, looked up in
                // `observations` itself by the last statement, beside the combined rows (no
                // copy, no `UNION ALL` co-routine); the pairs without one are found first by an
                // anti-join on the key. (Before another step, which would read both through a
                // `UNION ALL`, reading the rows once into a copy costs less than the probe.)
                // A year's target periods are neighbours in the key (`2023-Q1` … `2023-Q4`;
                // months, with the cumulative runs `2023-01..2023-0N` among them, hence the
                // length test): each series' whole figures of a year are one range of it.
                func length(_ o: String) -> String { "\(o).last_month - \(o).first_month = \(months - 1)" }
                let counted = ([length("o")] + windowConditions("o")).map { " AND " + $0 }.joined()
                direct = (labels, [length("w")] + windowConditions("w"))
                whole = ""
                // The (series, year)s with fewer whole figures than target periods (usually
                // none: one range read each), then, in those only, the target periods without
                // one (an anti-join on the key; a correlated `NOT EXISTS` per pair took twice as
                // long as the anti-join, which took twice as long as the ranges).
                let short = builder.add("""
                    SELECT e.\(seriesID) AS \(seriesID), y.column1 AS "$year" FROM \(keysFrom) e CROSS JOIN (VALUES \(labels.years)) y
                      LEFT JOIN observations o ON o.series_id = e.\(seriesID) AND o.period >= y.column2 AND o.period <= y.column3\(counted)
                      GROUP BY e.\(seriesID), y.column1 HAVING count(o.series_id) < y.column4
                    """, prefix: "c", materialized: true)
                let window = windowConditions("o")
                missing = builder.add("""
                    SELECT i.\(seriesID) AS \(seriesID), t.column1 AS "$tfm" FROM \(short) i JOIN (VALUES \(labels.pairs)) t ON t.column3 = i."$year"
                      LEFT JOIN observations o ON o.series_id = i.\(seriesID) AND o.period = t.column2\(window.map { " AND " + $0 }.joined())
                      WHERE o.series_id IS NULL
                    """, prefix: "c", materialized: true)
            } else {
                whole = builder.add("SELECT * FROM \(source) WHERE \(period) IN (\(labels.periods)) AND \(isWhole)",
                                    prefix: "c", materialized: true)
                let grid = builder.add("SELECT e.\(seriesID) AS \(seriesID), t.column1 AS \"$tfm\" FROM \(keysFrom) e, (VALUES \(labels.starts)) t",
                                       prefix: "c")
                // A series has at most one whole figure per target period (its key is the period
                // text), so when there are as many as series × periods, none is missing and the
                // list of pairs need not be indexed and probed: usually the case.
                missing = builder.add("""
                    SELECT \(seriesID), "$tfm" FROM \(grid)
                      WHERE (SELECT count(*) FROM \(whole)) < (SELECT count(*) * \(labels.count) FROM \(keysFrom))
                        AND (\(seriesID), "$tfm") NOT IN (SELECT \(seriesID), \(fm) FROM \(whole))
                    """, prefix: "c", materialized: true)
            }
            let bfm = "b.\(fm)", (bLength, bFits) = fitting("b.")
            let last = needsLast ? "row_number() OVER (PARTITION BY b.\(seriesID), m.\"$tfm\", \(bLength) ORDER BY \(bfm) DESC)" : "1"
            // Each row joins the bucket of its first month (the year's rows, through the key).
            let year = "printf('%04d', m.\"$tfm\" / 12)"
            convertLooksUpPeriods = false  // later steps read rows as usual
            bucketed = builder.add("""
                SELECT \(readColumns.map { "b." + $0 }.joined(separator: ", ")), CASE WHEN \(bFits) THEN \(bLength) ELSE 0 END AS "$len",
                    m."$tfm" AS "$tfm", \(last) AS "$rn"
                  FROM \(missing) m JOIN \(source) b ON b.\(seriesID) = m.\(seriesID) AND b.\(period) >= \(year) AND b.\(period) < \(year) || '.'
                    AND \(bfm) >= m."$tfm" AND \(bfm) < m."$tfm" + \(months)
                """, prefix: "c")
            unfitByScan = false
        } else {
            if streamable { builder.recomputed.insert(source) }
            whole = builder.add("SELECT * FROM \(source) WHERE \(isWhole)", prefix: "c", materialized: true)
            // Whether the row's bucket has no whole figure. With the series id, `NOT IN` over the
            // whole figures' (series, month): SQLite indexes that list once. Otherwise a probe on
            // every key (`IS`, NULL-safe), where unqualified names would be the whole figure's.
            let bTarget = "(b.\(fm) - b.\(fm) % \(months))"
            let noWhole = identity == [seriesID]
                ? "(b.\(seriesID), \(bTarget)) NOT IN (SELECT \(seriesID), \(fm) FROM \(whole))"
                : "NOT EXISTS (SELECT 1 FROM \(whole) w WHERE "
                    + (SQLText.sameKeys(identity, "w", "b") + ["w.\(fm) = \(bTarget)"]).joined(separator: " AND ") + ")"
            let last = needsLast
                ? "row_number() OVER (\(SQLText.partition(identity + [target, length])) ORDER BY \(fm) DESC)" : "1"
            bucketed = builder.add("""
                SELECT \(readColumns.joined(separator: ", ")), CASE WHEN \(fits) THEN \(length) ELSE 0 END AS "$len", \(target) AS "$tfm", \(last) AS "$rn"
                  FROM \(source) b WHERE NOT (\(isWhole)) AND \(streamable ? "\(fits) AND \(noWhole)" : "(NOT (\(fits)) OR \(noWhole))")
                """, prefix: "c")
            unfitByScan = streamable
        }
        var select = carried + ["\"$tfm\"", "\"$len\"", "count(*) AS \"$n\""]
        let measures = relation.measures.filter { $0.name != "revision" }
        for measure in measures {
            select.append("\(Self.combine(measure.sql, method: method?.rawValue)) AS \(measure.sql)")
            if let exact = measure.exact {
                select.append("(CASE WHEN count(*) = 1 AND \"$len\" = \(months) THEN \(exact) END) AS \(exact)")
            }
        }
        for column in relation.columns where column.role == .meta { select.append(combinedMeta(column)) }
        let combined = builder.add("SELECT \(select.joined(separator: ", "))\n  FROM \(bucketed) GROUP BY "
                                   + (identity + ["\"$tfm\"", "\"$len\""]).joined(separator: ", "), prefix: "c")
        let picked = builder.add("""
            SELECT *, row_number() OVER (\(SQLText.partition(identity + ["\"$tfm\""]))
                ORDER BY ("$n" * "$len" = \(months)) DESC, "$len" DESC) AS "$pick" FROM \(combined)
            """, prefix: "c")
        let label = Self.periodLabel(first: "p.\"$tfm\"", months: months)
        var asIs: [String] = [], combinedRows: [String] = []
        let keySource = keysFrom == nil ? "p" : "e"
        for column in relation.columns {
            switch column.role {
            case .period:
                asIs.append(column.sql)
                combinedRows.append("\(label) AS \(column.sql)")
            case .key:
                asIs.append(column.sql)
                combinedRows.append("\(keySource).\(column.sql)")
            case .meta:
                asIs.append(column.sql)
                combinedRows.append("p.\(column.sql)")
            case .measure where column.name == "revision":
                let revision = "\(SQLText.identifier("value_vs")) - \(SQLText.identifier("value")) AS \(column.sql)"
                asIs.append(revision)
                combinedRows.append("p." + revision.replacingOccurrences(of: " - ", with: " - p."))
            case .measure:
                asIs += column.sqlNames
                combinedRows += column.sqlNames.map { "p.\($0)" }
            case .hidden:
                if column.name == Relation.firstMonth {
                    asIs.append(fm)
                    combinedRows.append("p.\"$tfm\" AS \(fm)")
                } else if column.name == Relation.lastMonth {
                    asIs.append(lm)
                    combinedRows.append("p.\"$tfm\" + \(months - 1) AS \(lm)")
                } else if column.name == Relation.rule || column.name == Relation.additive {
                    asIs.append(column.sql)
                    combinedRows.append("\(keySource).\(column.sql)")
                } else if column.name == Relation.seriesID {
                    asIs.append(column.sql)
                    combinedRows.append("p.\(column.sql)")
                }
            }
        }
        let join = keysFrom.map { " JOIN \($0) e ON e.\(seriesID) = p.\(seriesID)" } ?? ""
        if let direct, let keysFrom {
            // Two arms, each a plain SELECT the last statement may read as it is (through a
            // `UNION ALL` CTE, SQLite would copy every row through a co-routine).
            let found = builder.add(foundRows(direct.labels.years, window: direct.window, series: keysFrom), prefix: "c")
            let combinedArm = builder.add("SELECT \(combinedRows.joined(separator: ", ")) FROM \(picked) p\(join)"
                                          + " WHERE p.\"$pick\" = 1 AND p.\"$n\" * p.\"$len\" = \(months)", prefix: "c")
            builder.recomputed.formUnion([found, combinedArm])
            addStep("SELECT * FROM \(found)\n  UNION ALL\n  SELECT * FROM \(combinedArm)")
            relation.arms = [found, combinedArm]
            // When every series has a whole figure for every target period (as many found rows
            // as series × periods: a series has one row per period text), no bucket is missing:
            // nothing is combined and neither of this step's warnings can arise, so with no
            // earlier warning the found rows are the answer. The executor tries that statement
            // first (``CompiledQuery/shortcut``).
            if warnings.isEmpty { relation.shortcut = (found, "(SELECT count(*) FROM \(keysFrom)) * \(direct.labels.count)") }
        } else {
            addStep("SELECT \(asIs.joined(separator: ", ")) FROM \(whole)\n  UNION ALL\n  SELECT \(combinedRows.joined(separator: ", "))"
                + " FROM \(picked) p\(join) WHERE p.\"$pick\" = 1 AND p.\"$n\" * p.\"$len\" = \(months)")
        }
        let example = (relation.has("region_name") ? "\(keySource).\"region_name\" || ' ' || " : "") + label
        let name = "convert \(frequency.rawValue)"
        warnings.append("SELECT CASE WHEN count(*) > 0 THEN \(builder.bind("\(name): ")) || count(*)"
                        + " || \(builder.bind(" period(s) with missing sub-periods gave no row, e.g. "))"
                        + " || min(\(example) || ' (' || (p.\"$n\" * p.\"$len\") || \(builder.bind(" of \(months) months)"))) END"
                        + " AS message FROM \(picked) p\(join) WHERE p.\"$pick\" = 1 AND p.\"$len\" > 0 AND p.\"$n\" * p.\"$len\" < \(months)")
        let unfit = " row(s) whose period does not fit in one \(frequency.rawValue) period (longer, or a cumulative run such as 2021-01..2021-09) were left out"
        warnings.append("SELECT CASE WHEN \(unfitByScan ? "count(*)" : "sum(\"$n\")") > 0 THEN \(builder.bind("\(name): "))"
                        + " || \(unfitByScan ? "count(*)" : "sum(\"$n\")") || \(builder.bind(unfit)) END AS message FROM "
                        + (unfitByScan ? "\(source) WHERE NOT (\(fits))" : "\(combined) WHERE \"$len\" = 0"))
    }

    /// Whether every column is one the source reads from a current observation (or from
    /// its series), so ``foundRows(_:window:series:)`` can read it there.
    static func readsAsObservations(_ columns: [RelationColumn]) -> Bool {
        let fromSeries = Set([Relation.rule, Relation.additive, Relation.seriesID, Relation.levelRank].map(SQLText.identifier))
        return columns.allSatisfy { column in
            column.role == .key || column.sqlNames.allSatisfy { observationColumn[$0] != nil || fromSeries.contains($0) }
        }
    }

    /// The whole figures of `convert` when they are current observations: every series ×
    /// year of target periods (`years`: year, first and last period text) joined to its
    /// observations in that range of the key (`w`; `window`: the length test and the
    /// source's window conditions on `w`), with the relation's columns, read as the source
    /// reads them (``observationColumns``, the rest from the series).
    func foundRows(_ years: String, window: [String], series: String) -> String {
        let select = relation.allSQLNames.map { name in
            Self.observationColumn[name].map { "w.\($0) AS \(name)" } ?? "e.\(name)"
        }
        let seriesID = SQLText.identifier(Relation.seriesID)
        return "SELECT \(select.joined(separator: ", "))\n  FROM \(series) e CROSS JOIN (VALUES \(years)) y"
            + " JOIN observations w ON w.series_id = e.\(seriesID) AND w.period >= y.column2 AND w.period <= y.column3"
            + window.map { " AND " + $0 }.joined()
    }

    /// The target periods `convert` looks up by their text, when it may: the rows are the
    /// current observations as read (filters and `during` only, no `asof`), within a bounded
    /// window of at most 600 target periods. Their texts as SQL literals (made here from month
    /// numbers, never from the query's text), and their first months as a `VALUES` list; as
    /// `VALUES` rows, each first month with its text and year (`pairs`), and each year with
    /// its first and last target period's text and their number (`years`).
    func wholeLabels(months: Int) -> TargetPeriods? {
        guard readsCurrentSourceRows, let window = sourceWindow, !window.isEmpty else { return nil }
        var starts = Set<Int>()
        for range in window where range.lowerBound <= range.upperBound {
            let first = range.lowerBound - ((range.lowerBound % months) + months) % months
            guard (range.upperBound - first) / months < 600 else { return nil }
            for start in stride(from: first, through: range.upperBound, by: months) { starts.insert(start) }
            guard starts.count <= 600 else { return nil }
        }
        guard !starts.isEmpty else { return nil }
        let sorted = starts.sorted()
        // The read model's own texts (`Period.description`), each of digits, `-`, `H` or `Q`.
        var texts: [String] = []
        for start in sorted {
            guard let first = YearMonth(ordinal: start), let last = YearMonth(ordinal: start + months - 1),
                  let period = Period(first: first, last: last) else { return nil }
            texts.append("'\(period.description)'")
        }
        let pairs = zip(sorted, texts).map { "(\($0), \($1), \(Self.year(ofOrdinal: $0)))" }.joined(separator: ", ")
        // Per year: its first and last target period's text and how many there are.
        var years: [(year: Int, first: String, last: String, count: Int)] = []
        for (start, text) in zip(sorted, texts) {
            let year = Self.year(ofOrdinal: start)
            if let index = years.indices.last, years[index].year == year {
                years[index].last = text
                years[index].count += 1
            } else {
                years.append((year, text, text, 1))
            }
        }
        let yearRows = years.map { "(\($0.year), \($0.first), \($0.last), \($0.count))" }.joined(separator: ", ")
        return TargetPeriods(periods: texts.joined(separator: ", "), starts: sorted.map { "(\($0))" }.joined(separator: ", "),
                             pairs: pairs, years: yearRows, count: texts.count)
    }

    /// `group by <columns> [aggregation] [over period]`.
    ///
    /// When `level` is not grouped, only rows of the finest level in each group count, so a
    /// national total or a regional subtotal is never added to the provinces it sums.
    mutating func group(by names: [String], aggregation: Aggregation?, overPeriod: Bool) {
        var kept = names
        if !overPeriod, !kept.contains("period") { kept.append("period") }
        let grouped = kept.compactMap { relation.column($0) }
        var groupTerms = grouped.map(\.sql)
        if kept.contains("period") { groupTerms += [Relation.firstMonth, Relation.lastMonth].map(SQLText.identifier) }
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        // Rows are told apart by the period's months; its text, the same for the same months,
        // is carried along rather than sorted on.
        let partitionTerms = kept.contains("period") ? groupTerms.filter { $0 != SQLText.identifier("period") } : groupTerms
        // Rows of each level are aggregated apart (one sort), then the finest level of each
        // group is kept, a window over the few aggregated rows.
        let levels = relation.has("level") && !kept.contains("level")
        var extras: [String] = []
        if aggregation == .last {
            let partition = partitionTerms + (levels ? [Self.levelRank] : [])
            extras.append("row_number() OVER (\(SQLText.partition(partition)) ORDER BY \(fm) DESC, \(lm) DESC) AS \"$rn\"")
        }
        if levels, !relation.has(Relation.levelRank) { extras.append("\(Self.levelRank) AS \"$lvl\"") }
        let rows = extras.isEmpty ? relation.name
            : builder.add("SELECT *, \(extras.joined(separator: ", ")) FROM \(relation.name)", prefix: "g")
        let value = relation.column("value")!
        let valueSQL: String
        switch aggregation {
        case .count?: valueSQL = "count(\(value.sql))"
        case .min?: valueSQL = "min(\(value.sql))"
        case .max?: valueSQL = "max(\(value.sql))"
        case .last?: valueSQL = Self.combine(value.sql, method: "last")
        case .sum?: valueSQL = "sum(\(value.sql))"
        case .avg?: valueSQL = "avg(\(value.sql))"
        case nil:
            // Each indicator's rule; known when the indicators read agree, decided per group when not.
            let rules = Set(checked.indicators.map { $0.rule == .indexOrRate })
            valueSQL = rules == [false] ? "sum(\(value.sql))" : rules == [true] ? "avg(\(value.sql))"
                : "(CASE WHEN min(\"$rule\") IN ('index', 'rate') THEN avg(\(value.sql)) ELSE sum(\(value.sql)) END)"
        }
        // The period's text follows from its months, which are grouped on: it is written for
        // each group rather than carried through the grouping's sort.
        var select = grouped.map { $0.role == .period && kept.contains("period") ? "\(Self.periodText(first: fm, last: lm)) AS \($0.sql)" : $0.sql }
        if kept.contains("period") { select += [fm, lm] }
        select.append("\(valueSQL) AS \(value.sql)")
        let keepsExact = aggregation != .count
        // A group of one row keeps that row's exact text: a bare column, which SQLite takes
        // from a row of the group (the only one), where `min` would compare texts on every row.
        // When the rows are current observations as read and the period is grouped on, the
        // row's series id goes through the grouping instead (an integer, not the text), and
        // the text is looked up by key for the groups of one row only (`exactByKey`).
        let seriesID = SQLText.identifier(Relation.seriesID)
        let period = kept.contains("period") ? relation.column("period")?.sql : nil
        let exactByKey = keepsExact && value.exact != nil && readsCurrentSourceRows && relation.has(Relation.seriesID) && period != nil
        if exactByKey {
            select += ["count(*) AS \"$n\"", "\(seriesID) AS \"$one\""]
        } else if keepsExact, let exact = value.exact {
            select.append("(CASE WHEN count(*) = 1 THEN \(exact) END) AS \(exact)")
        }
        let unit = SQLText.identifier("unit")
        select.append(aggregation == .count ? "'count' AS \(unit)" : combinedMeta(RelationColumn("unit", role: .meta)))
        // One indicator: its rule and additivity are the same on every row, so they are read
        // once from the series (a constant subquery) instead of carried through the sort.
        if checked.indicators.count == 1, let series = sourceSeries {
            select += [Relation.rule, Relation.additive].map { "(SELECT \(SQLText.identifier($0)) FROM \(series) LIMIT 1) AS \(SQLText.identifier($0))" }
        } else {
            select += checked.indicators.count == 1 ? ["\"$rule\"", "\"$add\""] : ["min(\"$rule\") AS \"$rule\"", "min(\"$add\") AS \"$add\""]
        }
        let grouping = partitionTerms + (levels ? ["\"$lvl\""] : [])
        let aggregated = "SELECT \((select + (levels ? ["\"$lvl\""] : [])).joined(separator: ", ")) FROM \(rows)"
            + " GROUP BY \(grouping.joined(separator: ", "))"
        var columns = grouped
        columns.append(RelationColumn(name: "value", sql: value.sql, role: .measure, exact: keepsExact ? value.exact : nil))
        columns.append(RelationColumn("unit", role: .meta))
        if kept.contains("period") { columns += [Relation.firstMonth, Relation.lastMonth].map { RelationColumn($0, role: .hidden) } }
        columns += [Relation.rule, Relation.additive].map { RelationColumn($0, role: .hidden) }
        // The last step's columns; the exact text looked up when it went through as `$one`.
        var names = columns.flatMap(\.sqlNames).map { "g.\($0)" }
        if exactByKey, let exact = value.exact, let period {
            names = names.map { name in
                name != "g.\(exact)" ? name : "(CASE WHEN g.\"$n\" = 1 THEN (SELECT p.value FROM observations p"
                    + " WHERE p.series_id = g.\"$one\" AND p.period = g.\(period)) END) AS \(exact)"
            }
        }
        if levels {
            // The groups of each level, then each group's finest level (a grouping of the
            // grouped rows, joined back on the keys through an index SQLite builds; a window
            // over them cost more), and the groups of that level.
            let perLevel = builder.add(aggregated, prefix: "g", materialized: true)
            let keys = partitionTerms.joined(separator: ", ")
            let finest = builder.add("SELECT \(keys.isEmpty ? "" : keys + ", ")max(\"$lvl\") AS \"$finest\" FROM \(perLevel)"
                                     + (keys.isEmpty ? "" : " GROUP BY \(keys)"), prefix: "g")
            let on = partitionTerms.map { "f.\($0) IS g.\($0)" } + ["f.\"$finest\" = g.\"$lvl\""]
            addStep("SELECT \(names.joined(separator: ", ")) FROM \(perLevel) g JOIN \(finest) f ON \(on.joined(separator: " AND "))")
        } else if exactByKey {
            addStep("SELECT \(names.joined(separator: ", ")) FROM \(builder.add(aggregated, prefix: "g")) g")
        } else {
            addStep(aggregated)
        }
        relation.columns = columns
        relation.order = (grouped.filter { $0.role != .period }.map(\.sql) + (kept.contains("period") ? [fm, lm] : [])).map { ($0, false) }
    }
}

/// The target periods of a `convert` that looks them up by text (``Compilation/wholeLabels(months:)``),
/// as SQL text made from month numbers, never from the query's text.
struct TargetPeriods {
    /// Their texts as literals: `'2023-Q1', '2023-Q2'`.
    var periods: String
    /// Their first months as `VALUES` rows: `(24276), (24279)`.
    var starts: String
    /// `VALUES` rows of first month, text and year.
    var pairs: String
    /// `VALUES` rows of each year with its first and last target period's text and their number.
    var years: String
    /// How many there are.
    var count: Int
}
