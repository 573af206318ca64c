#!/usr/bin/env python3
"""The questions of `tools/bench query`, asked of DuckDB, for comparison.

    tools/bench-query-duckdb.py --export DIR [--runs N] [--only a,b] [--threads N]

DIR holds CSV files that `almanac-bench query` writes with `sqlite3 -csv` from the read
model (regions, indicators, series with one column per breakdown dimension, observations,
observation_history). They are loaded once into DIR/bench.duckdb (the load time is
reported, not counted); each question then runs once to warm up and --runs times (at least
5), fetching every row. Prints one JSON object: the DuckDB version, the load time, and per
question the median seconds and the row count.

The SQL is the hand-written SQL of the benchmark (Sources/almanac-bench/QueryBench.swift)
in DuckDB's dialect: the same rows, columns and order. DuckDB has no primary-key index on
(series_id, period) here, so periods are selected on the month ordinals, which its zone
maps prune.
"""
import argparse
import json
import os
import statistics
import sys
import time

try:
    import duckdb
except ImportError:  # the bench checks first; this is for people running the script by hand
    sys.exit("bench-query-duckdb: the duckdb module is missing (pip install duckdb)")

TABLES = ["regions", "indicators", "series", "observations", "observation_history"]


def ym(year, month=1):
    """The month ordinal of the read model: year * 12 + month - 1."""
    return year * 12 + month - 1


LEAD = "s.indicator, s.region, r.name, r.level"
TAIL = "o.period, o.value, o.unit, o.status, o.known_from"
ROWS = "FROM series s JOIN regions r ON r.code = s.region JOIN observations o ON o.series_id = s.id"


def within(alias, first_year, last_year):
    return f"{alias}.first_month >= {ym(first_year)} AND {alias}.last_month <= {ym(last_year, 12)}"


QUESTIONS = {
    "series": f"""
        SELECT {LEAD}, 'actual', 'total', {TAIL} {ROWS}
        WHERE s.indicator = 'budget.revenue' AND s.measure = 'actual' AND s.item = 'total' AND s.region IN ('19', '19N')
        ORDER BY s.region, o.first_month, o.last_month""",
    "growth-yoy": f"""
        SELECT {LEAD}, 'general', 'base_2019', o.period, (o.value_num / p.value_num - 1) * 100, 'percent', o.status, o.known_from
        {ROWS} AND {within('o', 2024, 2024)}
        LEFT JOIN observations p ON p.series_id = s.id AND {within('p', 2023, 2023)}
            AND p.first_month = o.first_month - 12 AND p.last_month = o.last_month - 12
        WHERE s.indicator = 'cpi.index' AND s."group" = 'general' AND s.base = 'base_2019'
        ORDER BY s.region, o.first_month, o.last_month""",
    "ytd": f"""
        SELECT {LEAD}, 'actual', 'total', o.period,
            CASE WHEN o.last_month - o.first_month IN (0, 2, 5, 11)
                AND count(*) OVER w = o.first_month % 12 // (o.last_month - o.first_month + 1) + 1
                THEN sum(o.value_num) OVER w END,
            o.unit, o.status, o.known_from
        {ROWS} AND {within('o', 2024, 2024)}
        WHERE s.indicator = 'budget.revenue' AND s.measure = 'actual' AND s.item = 'total'
        WINDOW w AS (PARTITION BY s.id, o.last_month - o.first_month ORDER BY o.first_month)
        ORDER BY s.region, o.first_month, o.last_month""",
    "rank-region": f"""
        SELECT {LEAD}, 'actual', 'total', {TAIL}, rank() OVER (ORDER BY o.value_num DESC)
        {ROWS} AND o.first_month = {ym(2024)} AND o.last_month = {ym(2024, 6)}
        WHERE s.indicator = 'budget.revenue' AND s.measure = 'actual' AND s.item = 'total' AND r.parent = 'NMM'
        ORDER BY s.region""",
    "share": f"""
        SELECT {LEAD}, 'actual', 'total', {TAIL},
            CASE WHEN r.level = 'province'
                THEN o.value_num * 100 / sum(CASE WHEN r.level = 'province' THEN o.value_num END) OVER () END
        {ROWS} AND o.first_month = {ym(2023)} AND o.last_month = {ym(2023, 12)}
        WHERE s.indicator = 'budget.expenditure' AND s.measure = 'actual' AND s.item = 'total'
        ORDER BY s.region""",
    "convert": f"""
        SELECT {LEAD}, 'actual', s.item, {TAIL}
        {ROWS} AND {within('o', 2023, 2024)} AND o.last_month - o.first_month = 2 AND o.first_month % 3 = 0
        WHERE s.indicator = 'budget.expenditure' AND s.measure = 'actual'
        ORDER BY s.region, s.item, o.first_month""",
    "group-sum": f"""
        SELECT s.item, min(o.period), sum(o.value_num), 'bn_vnd'
        {ROWS} AND {within('o', 2024, 2024)}
        WHERE s.indicator = 'budget.revenue' AND s.measure = 'actual' AND r.level = 'province'
        GROUP BY s.item, o.first_month, o.last_month
        ORDER BY s.item, o.first_month, o.last_month""",
    "asof-vs": f"""
        SELECT {LEAD}, 'total', 'constant_2010', o.period, CASE WHEN o.known_from < '2023-07-01' THEN o.value ELSE h.value END,
            CASE WHEN h.series_id IS NULL THEN o.unit ELSE h.unit END, CASE WHEN h.series_id IS NULL THEN o.status ELSE h.status END,
            CASE WHEN h.series_id IS NULL THEN o.known_from ELSE h.known_from END, o.value,
            o.value_num - CASE WHEN o.known_from < '2023-07-01' THEN o.value_num ELSE h.value_num END
        {ROWS} AND {within('o', 2023, 2023)}
        LEFT JOIN observation_history h ON o.known_from >= '2023-07-01' AND h.series_id = s.id AND h.period = o.period
            AND h.kind <> 'retracted' AND h.known_from < '2023-07-01' AND (h.known_to IS NULL OR h.known_to >= '2023-07-01')
        WHERE s.indicator = 'gdp.grdp_growth' AND s.sector = 'total' AND s.price = 'constant_2010'
        ORDER BY s.region, o.first_month, o.last_month""",
    "top-10": f"""
        SELECT {LEAD}, 'total', 'current', {TAIL}
        {ROWS} AND o.first_month = {ym(2024)} AND o.last_month = {ym(2024, 12)}
        WHERE s.indicator = 'gdp.grdp' AND s.sector = 'total' AND s.price = 'current'
        ORDER BY o.value_num DESC, s.region LIMIT 10""",
    "wide-scan": f"""
        SELECT s.item, sum(o.value_num), 'bn_vnd'
        {ROWS} AND {within('o', 2000, 2024)} AND o.last_month - o.first_month = 11
        WHERE s.indicator = 'budget.revenue' AND s.measure = 'actual' AND r.level = 'province'
        GROUP BY s.item ORDER BY s.item""",
}


def load(export):
    """Opens DIR/bench.duckdb, loading the CSV files into it the first time."""
    path = os.path.join(export, "bench.duckdb")
    if os.path.exists(path):
        return duckdb.connect(path), 0.0, False
    building = path + ".building"
    if os.path.exists(building):
        os.remove(building)
    con = duckdb.connect(building)
    started = time.perf_counter()
    for table in TABLES:
        csv = os.path.join(export, table + ".csv")
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv_auto(?, header = true, all_varchar = false)", [csv])
    seconds = time.perf_counter() - started
    con.close()
    os.rename(building, path)
    return duckdb.connect(path), seconds, True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--export", required=True)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", default="")
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (default: its own choice)")
    args = parser.parse_args()
    runs = max(5, args.runs)
    con, load_seconds, loaded = load(args.export)
    if args.threads:
        con.execute(f"SET threads = {args.threads}")
    names = [n for n in args.only.split(",") if n] or list(QUESTIONS)
    results = []
    for name in names:
        sql = QUESTIONS[name]
        rows = len(con.execute(sql).fetchall())
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            con.execute(sql).fetchall()
            times.append(time.perf_counter() - started)
        results.append({"name": name, "rows": rows, "median_seconds": statistics.median(times)})
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    print(json.dumps({"duckdb_version": duckdb.__version__, "threads": threads, "loaded_now": loaded,
                      "load_seconds": load_seconds, "queries": results}))


if __name__ == "__main__":
    main()
