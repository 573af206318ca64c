import AlmanacDomain
import AlmanacSQLite

/// The source: `from …` read at a knowledge time, and `asof … vs …`.
///
/// - `latest` reads `observations`, the current value of each (series, period).
/// - A date reads the version of `observation_versions` known at the end of that day:
///   `known_from` before the next day and `known_to` open or from the next day on.
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

    mutating func compileSource(versus: KnowledgeTime?) {
        let base = baseColumns()
        let first = builder.add(vintage(knowledge, references: checked.query.indicators), prefix: "v")
        relation = Relation(name: first, columns: base, order: defaultOrder(base))
        guard let versus else { return }
        let second = builder.add(vintage(versus, references: checked.query.indicators), prefix: "v")
        var select: [String] = []
        for column in base where column.role != .measure {
            select.append("COALESCE(a.\(column.sql), b.\(column.sql)) AS \(column.sql)")
        }
        let value = RelationColumn("value", role: .measure, exact: true)
        let valueVersus = RelationColumn("value_vs", role: .measure, exact: true)
        let revision = RelationColumn("revision", role: .measure)
        select += [
            "a.\(value.sql) AS \(value.sql)", "a.\(value.exact!) AS \(value.exact!)",
            "b.\(value.sql) AS \(valueVersus.sql)", "b.\(value.exact!) AS \(valueVersus.exact!)",
            "b.\(value.sql) - a.\(value.sql) AS \(revision.sql)",
        ]
        let seriesID = SQLText.identifier(Relation.seriesID), period = SQLText.identifier("period")
        let sql = "SELECT \(select.joined(separator: ", "))\n  FROM \(first) a FULL JOIN \(second) b"
            + " ON a.\(seriesID) = b.\(seriesID) AND a.\(period) = b.\(period)"
        relation.columns = base + [valueVersus, revision]
        addStep(sql)
    }

    /// The columns of source rows, in the order the checker lists them, then hidden ones.
    func baseColumns() -> [RelationColumn] {
        var columns = ["indicator", "region", "region_name", "level"].map { RelationColumn($0, role: .key) }
        columns += dimensionNames.map { RelationColumn($0, role: .key) }
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
    mutating func vintage(_ when: KnowledgeTime, references: [Located<IndicatorReference>], dimensions: [String]? = nil) -> String {
        var select = [
            "se.indicator AS \"indicator\"", "se.region AS \"region\"", "COALESCE(r.name, se.region) AS \"region_name\"",
            "r.level AS \"level\"",
        ]
        for name in dimensions ?? dimensionNames {
            select.append("json_extract(se.dims_json, \(builder.bind(Self.jsonPath(name)))) AS \(SQLText.identifier(name))")
        }
        select += [
            "o.period AS \"period\"", "o.value_num AS \"value\"", "o.value AS \"$x:value\"", "o.unit AS \"unit\"",
            "o.status AS \"status\"", "o.known_from AS \"known_from\"", "o.first_month AS \"$fm\"", "o.last_month AS \"$lm\"",
            "i.aggregation AS \"$rule\"", "i.additive AS \"$add\"", "o.series_id AS \"$sid\"",
        ]
        var conditions = ["(" + references.map { indicatorCondition($0) }.joined(separator: " OR ") + ")"]
        if let window = sourceWindow {
            let ranges = window.map { "(o.first_month >= \(builder.bind($0.lowerBound)) AND o.last_month <= \(builder.bind($0.upperBound)))" }
            conditions.append("(" + ranges.joined(separator: " OR ") + ")")
        }
        let table: String
        switch when {
        case .latest:
            table = "observations"
        case .first:
            table = "observation_versions"
            conditions.append("o.kind <> 'retracted'")
            conditions.append("o.seq_from = (SELECT min(f.seq_from) FROM observation_versions f WHERE f.series_id = o.series_id"
                              + " AND f.period = o.period AND f.kind <> 'retracted')")
        case .date(let date):
            table = "observation_versions"
            let nextDay = builder.bind(Self.dayAfter(date))
            conditions.append("o.kind <> 'retracted'")
            conditions.append("o.known_from < \(nextDay) AND (o.known_to IS NULL OR o.known_to >= \(nextDay))")
        case .position(let position):
            table = "observation_versions"
            let sequence = builder.bind(.integer(Int64(clamping: position)))
            conditions.append("o.kind <> 'retracted'")
            conditions.append("o.seq_from <= \(sequence) AND (o.seq_to IS NULL OR o.seq_to > \(sequence))")
        }
        return "SELECT \(select.joined(separator: ", "))\n  FROM \(table) o JOIN series se ON se.id = o.series_id"
            + " JOIN indicators i ON i.code = se.indicator LEFT JOIN regions r ON r.code = se.region\n  WHERE "
            + conditions.joined(separator: " AND ")
    }

    /// `se.indicator IN (…) AND json_extract(se.dims_json, …) IN (…)` for one reference.
    mutating func indicatorCondition(_ reference: Located<IndicatorReference>) -> String {
        let indicators = (try? Checker(catalogue: catalogue).resolve(reference)) ?? []
        var parts = ["se.indicator IN " + builder.list(indicators.map(\.code))]
        for filter in reference.value.filters {
            let name = filter.value.dimension.value
            let allowed = indicators.flatMap(\.dimensions).filter { $0.name == name }.flatMap(\.values)
            let values = filter.value.values.map { Self.canonical($0.value, among: allowed) }
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
        let folded = TextFolding.fold(value)
        return allowed.first { TextFolding.fold($0) == folded } ?? value
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
