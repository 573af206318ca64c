import AlmanacDomain
import AlmanacLog
import AlmanacQuery
import AlmanacSQLite
import AlmanacStore
import Foundation
import Glibc

/// A reference question: the query in the pipeline language and the SQL an expert would
/// write by hand for the read-model schema (docs/read-models.md) to get the same rows,
/// in the same order, with the same columns.
struct QueryBenchQuestion {
    var name: String
    var almanac: String
    var sql: String

    /// The columns every row read by `from` starts with, for the hand-written SQL.
    static let lead = "s.indicator, s.region, r.name, r.level"
    static let tail = "o.period, o.value, o.unit, o.status, o.known_from"
    static let rows = "FROM series s JOIN regions r ON r.code = s.region JOIN observations o ON o.series_id = s.id"

    static let all: [QueryBenchQuestion] = [
        QueryBenchQuestion(
            name: "series",
            almanac: #"from budget.revenue(measure = "actual", item = "total") | where region = "Thai Nguyen""#,
            sql: """
                SELECT \(lead), 'actual', 'total', \(tail) \(rows)
                WHERE s.indicator = 'budget.revenue' AND s.dims = 'item=total;measure=actual' AND s.region IN ('19', '19N')
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "growth-yoy",
            almanac: #"from cpi.index(group = "general", base = "base_2019") | during 2024-01..2024-12 | growth yoy"#,
            sql: """
                SELECT \(lead), 'general', 'base_2019', o.period, (o.value_num / p.value_num - 1) * 100, 'percent',
                    o.status, o.known_from
                \(rows) AND o.period >= '2024' AND o.period < '2025'
                LEFT JOIN observations p ON p.series_id = s.id AND p.period >= '2023' AND p.period < '2024'
                    AND p.first_month = o.first_month - 12 AND p.last_month = o.last_month - 12
                WHERE s.indicator = 'cpi.index' AND s.dims = 'base=base_2019;group=general'
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "ytd",
            almanac: #"from budget.revenue(measure = "actual", item = "total") | during 2024 | ytd"#,
            sql: """
                SELECT \(lead), 'actual', 'total', o.period,
                    CASE WHEN o.last_month - o.first_month IN (0, 2, 5, 11)
                        AND count(*) OVER w = o.first_month % 12 / (o.last_month - o.first_month + 1) + 1
                        THEN sum(o.value_num) OVER w END,
                    o.unit, o.status, o.known_from
                \(rows) AND o.period >= '2024' AND o.period < '2025'
                WHERE s.indicator = 'budget.revenue' AND s.dims = 'item=total;measure=actual'
                WINDOW w AS (PARTITION BY s.id, o.last_month - o.first_month ORDER BY o.first_month)
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "rank-region",
            almanac: #"from budget.revenue(measure = "actual", item = "total") | where region within "NMM" | during 2024-H1 | convert half | rank"#,
            sql: """
                SELECT \(lead), 'actual', 'total', \(tail), rank() OVER (ORDER BY o.value_num DESC)
                \(rows) AND o.period = '2024-H1'
                WHERE s.indicator = 'budget.revenue' AND s.dims = 'item=total;measure=actual' AND r.parent = 'NMM'
                ORDER BY s.region;
                """),
        QueryBenchQuestion(
            name: "share",
            almanac: #"from budget.expenditure(measure = "actual", item = "total") | during 2023 | convert annual | share"#,
            sql: """
                SELECT \(lead), 'actual', 'total', \(tail),
                    CASE WHEN r.level = 'province'
                        THEN o.value_num * 100 / sum(CASE WHEN r.level = 'province' THEN o.value_num END) OVER () END
                \(rows) AND o.period = '2023'
                WHERE s.indicator = 'budget.expenditure' AND s.dims = 'item=total;measure=actual'
                ORDER BY s.region;
                """),
        QueryBenchQuestion(
            name: "convert",
            almanac: #"from budget.expenditure(measure = "actual") | during 2023..2024 | convert quarterly"#,
            sql: """
                SELECT \(lead), 'actual', json_extract(s.dims_json, '$.item') AS item, \(tail)
                \(rows) AND o.period >= '2023' AND o.period < '2025' AND o.last_month - o.first_month = 2
                WHERE s.indicator = 'budget.expenditure' AND s.dims LIKE '%;measure=actual'
                ORDER BY s.region, item, o.first_month;
                """),
        QueryBenchQuestion(
            name: "group-sum",
            almanac: #"from budget.revenue(measure = "actual") | during 2024 | group by item"#,
            sql: """
                SELECT json_extract(s.dims_json, '$.item') AS item, o.period, sum(o.value_num), 'bn_vnd'
                \(rows) AND o.period >= '2024' AND o.period < '2025'
                WHERE s.indicator = 'budget.revenue' AND s.dims LIKE '%;measure=actual' AND r.level = 'province'
                GROUP BY item, o.first_month, o.last_month
                ORDER BY item, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "asof-vs",
            almanac: #"from gdp.grdp_growth(sector = "total", price = "constant_2010") | during 2023 | asof 2023-06-30 vs latest"#,
            sql: """
                SELECT \(lead), 'total', 'constant_2010', o.period, CASE WHEN o.known_from < '2023-07-01' THEN o.value ELSE h.value END,
                    CASE WHEN h.series_id IS NULL THEN o.unit ELSE h.unit END, CASE WHEN h.series_id IS NULL THEN o.status ELSE h.status END,
                    CASE WHEN h.series_id IS NULL THEN o.known_from ELSE h.known_from END, o.value,
                    o.value_num - CASE WHEN o.known_from < '2023-07-01' THEN o.value_num ELSE h.value_num END
                \(rows) AND o.period >= '2023' AND o.period < '2024'
                LEFT JOIN observation_history h ON o.known_from >= '2023-07-01' AND h.series_id = s.id AND h.period = o.period
                    AND h.kind <> 'retracted' AND h.known_from < '2023-07-01' AND (h.known_to IS NULL OR h.known_to >= '2023-07-01')
                WHERE s.indicator = 'gdp.grdp_growth' AND s.dims = 'price=constant_2010;sector=total'
                ORDER BY s.region, o.first_month, o.last_month;
                """),
        QueryBenchQuestion(
            name: "top-10",
            almanac: #"from gdp.grdp(sector = "total", price = "current") | during 2024 | convert annual | sort -value | take 10"#,
            sql: """
                SELECT \(lead), 'total', 'current', \(tail)
                \(rows) AND o.period = '2024'
                WHERE s.indicator = 'gdp.grdp' AND s.dims = 'price=current;sector=total'
                ORDER BY o.value_num DESC, s.region LIMIT 10;
                """),
        QueryBenchQuestion(
            name: "wide-scan",
            almanac: #"from budget.revenue(measure = "actual") | during 2000..2024 | convert annual | group by item over period"#,
            sql: """
                SELECT json_extract(s.dims_json, '$.item') AS item, sum(o.value_num), 'bn_vnd'
                \(rows) AND o.period >= '2000' AND o.period < '2025' AND o.last_month - o.first_month = 11
                WHERE s.indicator = 'budget.revenue' AND s.dims LIKE '%;measure=actual' AND r.level = 'province'
                GROUP BY item ORDER BY item;
                """),
    ]
}
