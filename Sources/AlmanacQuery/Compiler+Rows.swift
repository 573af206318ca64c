import AlmanacSQLite

/// Steps that compare rows of one period (`share`, `rank`), reshape (`pivot`), compute
/// (`derive`), order and cut (`sort`, `take`), the `during` filter, and the final statement.
extension Compilation {
    /// The partition of `share` and `rank`: the period, the indicator and every other key
    /// except the region's own columns, plus the `within` columns.
    func comparisonPartition(within: [String]) -> [String] {
        var terms = relation.hasPeriod ? [Relation.firstMonth, Relation.lastMonth].map(SQLText.identifier) : []
        terms += relation.keys.filter { !["region", "region_name", "level"].contains($0.name) }.map(\.sql)
        for name in within { if let column = relation.column(name), !terms.contains(column.sql) { terms.append(column.sql) } }
        return terms
    }

    /// Adds `$lvl` (the row's level) and `$finest` (the finest level in its partition) so only
    /// regions of one level are compared: the finest present, usually provinces. Rows of a
    /// coarser level (the nation, a regional subtotal) get no rank or share and do not count
    /// into the total.
    mutating func markLevels(_ partition: [String]) -> String {
        let level = relation.has("level") ? Self.levelRank : "0"
        return builder.add("SELECT *, \(level) AS \"$lvl\", max(\(level)) OVER (\(SQLText.partition(partition))) AS \"$finest\""
                           + " FROM \(relation.name)", prefix: "r")
    }

    /// Appends a computed measure column.
    mutating func append(_ column: RelationColumn, _ expression: String, from source: String) {
        let select = relation.allSQLNames + ["\(expression) AS \(column.sql)"]
        relation.columns.removeAll { $0.name == column.name }
        relation.columns.append(column)
        addStep("SELECT \(select.joined(separator: ", ")) FROM \(source)")
    }

    mutating func share(within: [String]) {
        let partition = comparisonPartition(within: within)
        let marked = markLevels(partition)
        let value = relation.column("value")!.sql, eligible = "\"$lvl\" = \"$finest\""
        let total = "sum(CASE WHEN \(eligible) THEN \(value) END) OVER (\(SQLText.partition(partition)))"
        append(RelationColumn("share", role: .measure),
               "(CASE WHEN \(eligible) THEN \(value) * 100.0 / NULLIF(\(total), 0) END)", from: marked)
    }

    mutating func rank(_ order: RankOrder, within: [String]) {
        let partition = comparisonPartition(within: within)
        let marked = markLevels(partition)
        let value = relation.column("value")!.sql
        let eligible = "(\"$lvl\" = \"$finest\" AND \(value) IS NOT NULL)"
        let window = "OVER (\(SQLText.partition(partition + [eligible])) ORDER BY \(value) \(order == .asc ? "ASC" : "DESC"))"
        append(RelationColumn("rank", role: .measure, isInteger: true), "(CASE WHEN \(eligible) THEN rank() \(window) END)", from: marked)
    }

    /// `pivot <column>`: one column per value; the values come from the catalogue when it
    /// lists them for a dimension, else from a discovery statement run first.
    mutating func pivot(_ name: String, discover: (PivotDiscovery) throws -> [String]) throws {
        guard let pivoted = relation.column(name), let value = relation.column("value") else { return }
        let dimensions = checked.indicators.flatMap(\.dimensions).filter { $0.name == name }
        var values: [String] = []
        if name != "period", !dimensions.isEmpty, !dimensions.contains(where: \.values.isEmpty) {
            for candidate in dimensions.flatMap(\.values) where !values.contains(candidate) { values.append(candidate) }
        } else {
            let body = pivoted.role == .period
                ? "SELECT \(pivoted.sql) FROM \(relation.name) GROUP BY \(pivoted.sql) ORDER BY min(\"$fm\"), min(\"$lm\")"
                : "SELECT \(pivoted.sql) FROM \(relation.name) WHERE \(pivoted.sql) IS NOT NULL GROUP BY \(pivoted.sql) ORDER BY \(pivoted.sql)"
            let sql = builder.statement(body)
            let discovery = PivotDiscovery(sql: sql, parameters: Array(builder.parameters.prefix(Self.highestParameter(in: sql))))
            values = try discover(discovery)
            discoveries.append(discovery)
            guard values.count <= Self.pivotColumnsMax else {
                throw QueryRuntimeError("pivot \(name) would make \(values.count) columns, more than \(Self.pivotColumnsMax); narrow the rows first (during, where)")
            }
        }
        let removed: Set<String> = pivoted.role == .period
            ? [name, "value", Relation.firstMonth, Relation.lastMonth, Relation.seriesID] : [name, "value", Relation.seriesID]
        var kept = relation.columns.filter { !removed.contains($0.name) }
        var select: [String] = [], groupTerms: [String] = []
        for column in kept {
            switch column.role {
            case .key, .period:
                select.append(column.sql)
                groupTerms.append(column.sql)
            case .meta: select.append(combinedMeta(column))
            case .measure: select += column.sqlNames.map { "max(\($0)) AS \($0)" }
            case .hidden where column.name == Relation.firstMonth || column.name == Relation.lastMonth:
                select.append(column.sql)
                groupTerms.append(column.sql)
            case .hidden: select.append("min(\(column.sql)) AS \(column.sql)")
            }
        }
        for (index, text) in values.enumerated() {
            let cell = RelationColumn(name: text, sql: SQLText.identifier("$p\(index)"), role: .measure,
                                      exact: value.exact == nil ? nil : SQLText.identifier("$px\(index)"))
            let bound = builder.bind(text)
            select.append("max(CASE WHEN \(pivoted.sql) = \(bound) THEN \(value.sql) END) AS \(cell.sql)")
            if let exact = value.exact, let cellExact = cell.exact {
                select.append("max(CASE WHEN \(pivoted.sql) = \(bound) THEN \(exact) END) AS \(cellExact)")
            }
            kept.append(cell)
        }
        let grouping = groupTerms.isEmpty ? "" : " GROUP BY " + groupTerms.joined(separator: ", ")
        addStep("SELECT \(select.joined(separator: ", ")) FROM \(relation.name)\(grouping)")
        relation.columns = kept
    }

    /// The largest `?N` in `sql`: SQLite expects exactly that many values, and parameters bound
    /// for warnings later in the text are not part of a discovery statement.
    static func highestParameter(in sql: String) -> Int {
        var highest = 0, digits = "", afterMark = false
        for character in sql + " " {
            if afterMark, character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            if afterMark { highest = max(highest, Int(digits) ?? 0) }
            afterMark = character == "?"
            digits = ""
        }
        return highest
    }

    /// The most columns a pivot may make; SQLite's own limit on a query connection is 2,000.
    static let pivotColumnsMax = 1_000

    mutating func derive(_ derivations: [Derivation]) throws {
        for derivation in derivations {
            var expressions = ExpressionCompiler(catalogue: catalogue, relation: relation)
            let sql = try expressions.condition(derivation.expression, builder: &builder)
            warnings += expressions.warnings
            let name = derivation.name.value
            var role = ColumnRole.measure
            switch derivation.expression.value {
            case .column(let source): role = relation.column(source).map { $0.role == .hidden ? .measure : $0.role } ?? .measure
            case .string: role = .key
            default: break
            }
            if role == .period { role = .key }
            let column = RelationColumn(name, role: role)
            let source = relation.name
            var select = relation.columns.filter { $0.name != name }.flatMap(\.sqlNames)
            select.append("\(sql) AS \(column.sql)")
            if let index = relation.columns.firstIndex(where: { $0.name == name }) {
                relation.columns[index] = column
            } else {
                relation.columns.append(column)
            }
            addStep("SELECT \(select.joined(separator: ", ")) FROM \(source)")
        }
    }

    mutating func sort(_ keys: [SortKey]) {
        var terms: [(sql: String, descending: Bool)] = []
        for key in keys {
            guard let column = relation.column(key.column.value) else { continue }
            if column.role == .period {
                terms += [Relation.firstMonth, Relation.lastMonth].map { (SQLText.identifier($0), key.descending) }
            } else {
                terms.append((column.sql, key.descending))
            }
        }
        relation.order = terms + relation.order
    }

    mutating func take(_ count: Int) {
        let columns = relation.allSQLNames.joined(separator: ", ")
        let limit = builder.bind(count)
        let order = relation.orderTerms.isEmpty ? "" : "ORDER BY " + relation.orderTerms
        addStep("SELECT \(columns) FROM (SELECT *, row_number() OVER (\(order)) AS \"$n\""
                + " FROM \(relation.name)) WHERE \"$n\" <= \(limit)")
    }

    /// `during`: keeps rows whose period lies within one of the selected periods.
    mutating func filterPeriods(_ selections: [PeriodSelection]) {
        guard relation.hasPeriod else { return }
        // The source read exactly these months (the window of the first `during`, with no
        // step reaching back): every row already passes.
        if rowsWithinWindow, let window = sourceWindow, window == selections.map(\.months) { return }
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let tests = selections.map { selection in
            "(\(fm) >= \(builder.bind(selection.months.lowerBound)) AND \(lm) <= \(builder.bind(selection.months.upperBound)))"
        }
        addStep("SELECT * FROM \(relation.name) WHERE " + tests.joined(separator: " OR "))
    }

    /// The statement: result rows in order (`$part` 0), then warning rows (`$part` 1, `$ord`
    /// their number). With no warnings to give and one CTE of rows, the rows are simply
    /// ordered.
    func finish() -> CompiledQuery {
        let visible = relation.visible
        let nulls = Array(repeating: "NULL", count: visible.count)
        let cells = visible.map { "\($0.displayExpression) AS \($0.sql)" }
        let sql: String
        if warnings.isEmpty, relation.arms.isEmpty {
            let select = (cells + ["NULL AS \"$warning\"", "0 AS \"$part\"", "0 AS \"$ord\""]).joined(separator: ", ")
            let qualified = relation.orderTerms(qualifiedBy: relation.name)
            sql = builder.statement("SELECT \(select) FROM \(relation.name)" + (qualified.isEmpty ? "" : "\nORDER BY " + qualified))
        } else {
            // The result rows' sort keys go along as columns `$o0`, `$o1` … (NULL on warning
            // rows), so that one sort orders the whole statement: rows by their keys, then the
            // warnings in turn (a window numbering the rows first cost a second sort). A key
            // shown as it is (a key column, not an exact value) is sorted by its result column.
            let present = Set(relation.allSQLNames)
            let terms = relation.order.filter { present.contains($0.sql) }
            let shown = Set(visible.filter { $0.exact == nil }.map(\.sql))
            var keys: [String] = [], sortKeys: [String] = []
            for term in terms {
                let direction = "\(term.descending ? "DESC" : "ASC") NULLS LAST"
                if shown.contains(term.sql) {
                    sortKeys.append("\(term.sql) \(direction)")
                } else {
                    sortKeys.append("\"$o\(keys.count)\" \(direction)")
                    keys.append("\(term.sql) AS \"$o\(keys.count)\"")
                }
            }
            // The rows' CTE, or each of its arms in turn (see `Relation.arms`).
            var parts = (relation.arms.isEmpty ? [relation.name] : relation.arms).map { table in
                "SELECT " + (cells + ["NULL AS \"$warning\"", "0 AS \"$part\"", "0 AS \"$ord\""] + keys.map { "\(table).\($0)" })
                    .joined(separator: ", ") + " FROM \(table)"
            }
            for (index, warning) in warnings.enumerated() {
                parts.append("SELECT " + (nulls + ["message", "1", "\(index)"] + keys.map { _ in "NULL" }).joined(separator: ", ")
                             + " FROM (\(warning)) WHERE message IS NOT NULL")
            }
            sql = builder.statement(parts.joined(separator: "\nUNION ALL\n") + "\nORDER BY " + (["\"$part\"", "\"$ord\""] + sortKeys).joined(separator: ", "))
        }
        let columns = visible.map { column -> ResultColumn in
            let kind: ResultColumn.Kind = column.role == .measure ? (column.isInteger ? .integer : .number) : .text
            return ResultColumn(name: column.name, kind: kind)
        }
        var compiled = CompiledQuery(sql: sql, parameters: usedParameters(sql), columns: columns, discoveries: discoveries)
        if let (arm, rows) = relation.shortcut {
            // The arm's rows in order, each with the count that makes them the answer.
            let qualified = relation.orderTerms(qualifiedBy: arm)
            let shortcut = builder.statement("SELECT " + (cells + ["\(rows) AS \"$whole\""]).joined(separator: ", ") + " FROM \(arm)"
                                             + (qualified.isEmpty ? "" : "\nORDER BY " + qualified))
            compiled.shortcut = CompiledQuery.Shortcut(sql: shortcut, parameters: usedParameters(shortcut))
        }
        return compiled
    }

    /// The values `sql` reads. A value bound for text a step then did not use, after the last
    /// one used, would make the count wrong for SQLite (whose count is the highest `?N`): it
    /// is not passed.
    func usedParameters(_ sql: String) -> [SQLValue] {
        Array(builder.parameters.prefix(SQLBuilder.highestPlaceholder(in: sql)))
    }
}
