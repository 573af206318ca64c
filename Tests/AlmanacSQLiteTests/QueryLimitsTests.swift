import Testing
import CSQLite
@testable import AlmanacSQLite

@Suite struct QueryLimitsTests {
    static let runaway = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"

    @Test func runawayRecursiveQueryIsStoppedByTheTimeLimit() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare(Self.runaway)
        let error = sqliteError {
            _ = try statement.rows(limits: QueryLimits(timeLimit: .milliseconds(200), rowLimit: nil))
        }
        #expect(error?.message == "query stopped after 200 ms time limit")
        #expect(error?.limitExceeded == .time(.milliseconds(200)))
        #expect(error?.resultCode == SQLITE_INTERRUPT)
        #expect(error?.sql == Self.runaway)
        #expect(error?.description.hasPrefix("query stopped after 200 ms time limit — while executing `WITH RECURSIVE") == true)
        // The handler is gone afterwards: the connection and the statement work normally.
        #expect(db.activeTimeLimit == nil)
        #expect(try db.integer("SELECT 41 + 1") == 42)
        let bounded = try db.prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT count(*) FROM c")
        #expect(try bounded.rows(limits: QueryLimits(timeLimit: .seconds(60))) == [[100_000]])
    }

    @Test func rowLimitStopsWithItsMessage() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c")
        var seen = 0
        let error = sqliteError {
            try statement.forEachRow(limits: QueryLimits()) { _ in seen += 1 }
        }
        #expect(error?.message == "query stopped after 1,000,000 rows (row limit)")
        #expect(error?.limitExceeded == .rows(1_000_000))
        #expect(seen == 1_000_000)
    }

    @Test func resultOfExactlyTheRowLimitSucceeds() throws {
        let db = try Database(path: ":memory:")
        let statement = try db.prepare("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c")
        try statement.bind([3])
        let limits = QueryLimits(timeLimit: nil, rowLimit: 3)
        #expect(try statement.rows(limits: limits) == [[1], [2], [3]])
        try statement.bind([4])
        #expect(sqliteError { _ = try statement.rows(limits: limits) }?.message == "query stopped after 3 rows (row limit)")
        #expect(sqliteError { _ = try statement.rows(limits: limits) }?.arguments == [4])
    }

    @Test func limitsApplyOnARestrictedConnectionWhileRowsStream() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Database(path: directory.file("m.sqlite")).execute("CREATE TABLE t(x)")
        let reader = try Database(path: directory.file("m.sqlite"), options: .readOnlyQueries)
        try reader.restrictToReadOnlyQueries()
        try reader.restrictToReadOnlyQueries()  // idempotent
        let error = sqliteError {
            _ = try reader.rows(
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x % 7 = ?",
                arguments: [3], limits: QueryLimits(timeLimit: .milliseconds(250), rowLimit: nil))
        }
        #expect(error?.message == "query stopped after 250 ms time limit")
        #expect(error?.arguments == [3])
    }

    @Test func limitMessagesFormatDurationsAndCounts() {
        #expect(QueryLimitExceeded.time(.seconds(10)).message == "query stopped after 10 s time limit")
        #expect(QueryLimitExceeded.time(.milliseconds(1500)).message == "query stopped after 1.5 s time limit")
        #expect(QueryLimitExceeded.time(.milliseconds(2050)).message == "query stopped after 2.05 s time limit")
        #expect(QueryLimitExceeded.rows(1_000_000).message == "query stopped after 1,000,000 rows (row limit)")
        #expect(QueryLimitExceeded.rows(999).message == "query stopped after 999 rows (row limit)")
        #expect(QueryLimitExceeded.groupThousands(1234) == "1,234")
        #expect(QueryLimitExceeded.groupThousands(0) == "0")
    }
}
