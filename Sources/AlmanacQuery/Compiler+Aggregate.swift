import AlmanacSQLite

/// `convert` and `group by`: steps that combine rows.
extension Compilation {
    /// The level of a row as a number, finest largest: provinces 3, regions 2, the nation 1.
    static let levelRank = "(CASE \"level\" WHEN 'province' THEN 3 WHEN 'region' THEN 2 WHEN 'nation' THEN 1 ELSE 0 END)"

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
    /// period joins that period's bucket. Within a bucket, rows of one length are combined,
    /// preferring the longest length that covers every month (an annual figure over the sum
    /// of its months). A bucket no length covers gives no row and a warning; rows that do not
    /// fit (a year converted to quarters, a cumulative run) are left out with a warning.
    mutating func convert(to frequency: Frequency, method: ConversionMethod?) {
        let months: Int = switch frequency {
        case .annual: 12
        case .half: 6
        case .quarterly: 3
        case .monthly: 1
        }
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let keys = relation.seriesKeys
        let length = "(\(lm) - \(fm) + 1)", target = "(\(fm) - \(fm) % \(months))"
        let fits = "\(length) IN (1, 3, 6, 12) AND \(fm) % \(length) = 0 AND \(length) <= \(months)"
        let previous = relation.name
        let bucketed = builder.add("""
            SELECT *, \(length) AS "$len", \(target) AS "$tfm",
                row_number() OVER (\(SQLText.partition(keys + [target, length])) ORDER BY \(fm) DESC) AS "$rn"
              FROM \(previous) WHERE \(fits)
            """, prefix: "c")
        var select = keys + ["\"$tfm\"", "\"$len\"", "count(*) AS \"$n\""]
        let measures = relation.measures.filter { $0.name != "revision" }
        for measure in measures {
            select.append("\(Self.combine(measure.sql, method: method?.rawValue)) AS \(measure.sql)")
            if let exact = measure.exact {
                select.append("(CASE WHEN count(*) = 1 AND \"$len\" = \(months) THEN min(\(exact)) END) AS \(exact)")
            }
        }
        for column in relation.columns where column.role == .meta { select.append(combinedMeta(column)) }
        let combined = builder.add("SELECT \(select.joined(separator: ", "))\n  FROM \(bucketed) GROUP BY "
                                   + (keys + ["\"$tfm\"", "\"$len\""]).joined(separator: ", "), prefix: "c")
        let picked = builder.add("""
            SELECT *, row_number() OVER (\(SQLText.partition(keys + ["\"$tfm\""]))
                ORDER BY ("$n" * "$len" = \(months)) DESC, "$len" DESC) AS "$pick" FROM \(combined)
            """, prefix: "c")
        let label = Self.periodLabel(first: "\"$tfm\"", months: months)
        var output: [String] = []
        for column in relation.columns {
            switch column.role {
            case .period: output.append("\(label) AS \(column.sql)")
            case .key, .meta: output.append(column.sql)
            case .measure where column.name == "revision":
                output.append("\(SQLText.identifier("value_vs")) - \(SQLText.identifier("value")) AS \(column.sql)")
            case .measure: output += column.sqlNames
            case .hidden:
                if column.name == Relation.firstMonth { output.append("\"$tfm\" AS \(fm)") }
                if column.name == Relation.lastMonth { output.append("\"$tfm\" + \(months - 1) AS \(lm)") }
                if column.name == Relation.rule || column.name == Relation.additive { output.append(column.sql) }
            }
        }
        relation.columns.removeAll { $0.name == Relation.seriesID }
        addStep("SELECT \(output.joined(separator: ", ")) FROM \(picked) WHERE \"$pick\" = 1 AND \"$n\" * \"$len\" = \(months)")
        let example = (relation.has("region_name") ? "\"region_name\" || ' ' || " : "") + label
        let name = "convert \(frequency.rawValue)"
        warnings.append("SELECT CASE WHEN count(*) > 0 THEN \(builder.bind("\(name): ")) || count(*)"
                        + " || \(builder.bind(" period(s) with missing sub-periods gave no row, e.g. "))"
                        + " || min(\(example) || ' (' || (\"$n\" * \"$len\") || \(builder.bind(" of \(months) months)"))) END"
                        + " AS message FROM \(picked) WHERE \"$pick\" = 1 AND \"$n\" * \"$len\" < \(months)")
        let unfit = " row(s) whose period does not fit in one \(frequency.rawValue) period (longer, or a cumulative run such as 2021-01..2021-09) were left out"
        warnings.append("SELECT CASE WHEN count(*) > 0 THEN \(builder.bind("\(name): ")) || count(*) || \(builder.bind(unfit)) END"
                        + " AS message FROM \(previous) WHERE NOT (\(fits))")
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
        var source = "SELECT *, row_number() OVER (\(SQLText.partition(groupTerms)) ORDER BY \(fm) DESC, \(lm) DESC) AS \"$rn\""
        if relation.has("level"), !kept.contains("level") {
            source += ", \(Self.levelRank) AS \"$lvl\", max(\(Self.levelRank)) OVER (\(SQLText.partition(groupTerms))) AS \"$finest\""
            let inner = builder.add(source + " FROM \(relation.name)", prefix: "g")
            source = "SELECT * FROM \(inner) WHERE \"$lvl\" = \"$finest\""
        } else {
            source += " FROM \(relation.name)"
        }
        let rows = builder.add(source, prefix: "g")
        let value = relation.column("value")!
        let valueSQL: String
        switch aggregation {
        case .count?: valueSQL = "count(\(value.sql))"
        case .min?: valueSQL = "min(\(value.sql))"
        case .max?: valueSQL = "max(\(value.sql))"
        case .last?: valueSQL = Self.combine(value.sql, method: "last")
        case .sum?: valueSQL = "sum(\(value.sql))"
        case .avg?: valueSQL = "avg(\(value.sql))"
        case nil: valueSQL = "(CASE WHEN min(\"$rule\") IN ('index', 'rate') THEN avg(\(value.sql)) ELSE sum(\(value.sql)) END)"
        }
        var select = groupTerms
        select.append("\(valueSQL) AS \(value.sql)")
        let keepsExact = aggregation != .count
        if keepsExact, let exact = value.exact { select.append("(CASE WHEN count(*) = 1 THEN min(\(exact)) END) AS \(exact)") }
        let unit = SQLText.identifier("unit")
        select.append(aggregation == .count ? "'count' AS \(unit)" : combinedMeta(RelationColumn("unit", role: .meta)))
        select += ["min(\"$rule\") AS \"$rule\"", "min(\"$add\") AS \"$add\""]
        var columns = grouped
        columns.append(RelationColumn(name: "value", sql: value.sql, role: .measure, exact: keepsExact ? value.exact : nil))
        columns.append(RelationColumn("unit", role: .meta))
        if kept.contains("period") { columns += [Relation.firstMonth, Relation.lastMonth].map { RelationColumn($0, role: .hidden) } }
        columns += [Relation.rule, Relation.additive].map { RelationColumn($0, role: .hidden) }
        addStep("SELECT \(select.joined(separator: ", ")) FROM \(rows) GROUP BY \(groupTerms.joined(separator: ", "))")
        relation.columns = columns
        relation.order = (grouped.filter { $0.role != .period }.map(\.sql) + (kept.contains("period") ? [fm, lm] : [])).map { ($0, false) }
    }
}
