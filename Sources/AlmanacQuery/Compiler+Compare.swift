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
    mutating func compare(_ comparison: Comparison, percent: Bool) {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let length = "(c.\(fm) - c.\(lm) - 1)"  // minus the length of c's period
        let on: [String]
        switch comparison {
        case .pop:
            on = ["(c.\(lm) - c.\(fm) + 1) IN (1, 3, 6, 12)", "p.\(fm) = c.\(fm) + \(length)", "p.\(lm) = c.\(lm) + \(length)"]
        case .yoy:
            on = ["p.\(fm) = c.\(fm) - 12", "p.\(lm) = c.\(lm) - 12"]
        }
        let keys = SQLText.sameKeys(relation.seriesKeys, "c", "p") + on
        let unit = percent ? builder.bind("percent") : nil
        let select = replacingValues(unit: unit) { value in
            percent ? "(c.\(value) * 1.0 / NULLIF(p.\(value), 0) - 1) * 100" : "(c.\(value) - p.\(value))"
        }
        addStep("SELECT \(select)\n  FROM \(relation.name) c LEFT JOIN \(relation.name) p ON \(keys.joined(separator: " AND "))")
    }

    /// `ytd [sum|avg]`: from January to each period, over periods of the same length; a
    /// year with a period missing before this one gives NULL, never a partial total.
    mutating func yearToDate(_ method: CumulationMethod?) {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let length = "(c.\(lm) - c.\(fm) + 1)"
        let window = "OVER (\(SQLText.partition(relation.seriesKeys.map { "c.\($0)" } + ["c.\(fm) / 12", length])) ORDER BY c.\(fm))"
        let select = replacingValues { value in
            let combined: String = switch method {
            case .sum?: "sum(c.\(value)) \(window)"
            case .avg?: "avg(c.\(value)) \(window)"
            case nil: "(CASE c.\"$rule\" WHEN 'flow' THEN sum(c.\(value)) \(window) ELSE avg(c.\(value)) \(window) END)"
            }
            return "(CASE WHEN \(length) IN (1, 3, 6, 12) AND count(c.\(value)) \(window) = (c.\(fm) % 12) / \(length) + 1"
                + " THEN \(combined) END)"
        }
        addStep("SELECT \(select) FROM \(relation.name) c")
    }

    /// `rebase <period> [= base]`: value ÷ the value of the same series in that period × base.
    mutating func rebase(to period: PeriodLiteral, base: Double) {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let keys = SQLText.sameKeys(relation.seriesKeys, "c", "p")
            + ["p.\(fm) = \(builder.bind(period.months.lowerBound))", "p.\(lm) = \(builder.bind(period.months.upperBound))"]
        let factor = builder.bind(.real(base)), unit = builder.bind("index")
        let select = replacingValues(unit: unit) { value in "c.\(value) * \(factor) / NULLIF(p.\(value), 0)" }
        addStep("SELECT \(select)\n  FROM \(relation.name) c LEFT JOIN \(relation.name) p ON \(keys.joined(separator: " AND "))")
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
        let otherRows = builder.add(vintage(knowledge, references: [reference], dimensions: otherDimensions), prefix: "v")
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
