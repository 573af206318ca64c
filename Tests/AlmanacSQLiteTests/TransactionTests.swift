import Testing
import CSQLite
@testable import AlmanacSQLite

@Suite struct TransactionTests {
    struct Refused: Error, Equatable {}

    func makeDatabase() throws -> Database {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x INTEGER)")
        return db
    }

    @Test func commitsWhenTheBodyReturns() throws {
        let db = try makeDatabase()
        let answer = try db.transaction {
            try db.execute("INSERT INTO t VALUES (1), (2)")
            #expect(db.isInTransaction)
            return "done"
        }
        #expect(answer == "done")
        #expect(!db.isInTransaction)
        #expect(try db.integer("SELECT count(*) FROM t") == 2)
    }

    @Test func rollsBackWhenTheBodyThrows() throws {
        let db = try makeDatabase()
        #expect(throws: Refused()) {
            try db.transaction {
                try db.execute("INSERT INTO t VALUES (1)")
                throw Refused()
            }
        }
        #expect(!db.isInTransaction)
        #expect(try db.integer("SELECT count(*) FROM t") == 0)
    }

    @Test func failedCommitIsRolledBack() throws {
        let db = try Database(path: ":memory:")
        try db.execute("""
            CREATE TABLE region(code TEXT PRIMARY KEY);
            CREATE TABLE obs(region TEXT REFERENCES region(code) DEFERRABLE INITIALLY DEFERRED)
            """)
        let error = sqliteError {
            try db.transaction { try db.execute("INSERT INTO obs VALUES ('VN-99')") }
        }
        #expect(error?.isConstraintViolation == true)
        #expect(error?.sql == "COMMIT TRANSACTION")
        #expect(!db.isInTransaction)
        #expect(try db.integer("SELECT count(*) FROM obs") == 0)
    }

    @Test func savepointUndoesOnlyItsOwnWork() throws {
        let db = try makeDatabase()
        try db.transaction {
            try db.execute("INSERT INTO t VALUES (1)")
            #expect(throws: Refused()) {
                try db.savepoint("batch \"2\"") {
                    try db.execute("INSERT INTO t VALUES (2)")
                    throw Refused()
                }
            }
            try db.savepoint { try db.execute("INSERT INTO t VALUES (3)") }
        }
        #expect(try db.rows("SELECT x FROM t ORDER BY x") == [[1], [3]])
    }

    @Test func savepointOutsideATransactionCommits() throws {
        let db = try makeDatabase()
        try db.savepoint { try db.execute("INSERT INTO t VALUES (7)") }
        #expect(!db.isInTransaction)
        #expect(try db.integer("SELECT x FROM t") == 7)
    }

    @Test func immediateTransactionFailsFastWhenAnotherWriterHoldsTheLock() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("locks.sqlite")
        let first = try Database(path: path, options: .init(busyTimeout: .zero))
        try first.execute("CREATE TABLE t(x)")
        let second = try Database(path: path, options: .init(busyTimeout: .zero))
        try first.transaction {
            try first.execute("INSERT INTO t VALUES (1)")
            let error = sqliteError { try second.transaction { try second.execute("INSERT INTO t VALUES (2)") } }
            #expect(error?.isBusy == true)
            #expect(error?.sql == "BEGIN IMMEDIATE TRANSACTION")
        }
        #expect(try second.integer("SELECT count(*) FROM t") == 1)
    }
}
