import Foundation
import Testing
import CSQLite
@testable import AlmanacSQLite

@Suite struct DatabaseTests {
    @Test func createsFileInWALMode() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.sqlite")
        #expect(!FileManager.default.fileExists(atPath: path))
        let db = try Database(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try db.firstValue("PRAGMA journal_mode") == .text("wal"))
        #expect(try db.journalMode() == "wal")
        try db.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test(arguments: Database.Synchronous.allCases)
    func synchronousIsSetExplicitly(level: Database.Synchronous) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try Database(path: directory.file("s.sqlite"), options: .init(synchronous: level))
        #expect(try db.integer("PRAGMA synchronous") == Int64(level.pragmaValue))
    }

    @Test func foreignKeysAndBusyTimeoutAreSet() throws {
        let on = try Database(path: ":memory:", options: .init(busyTimeout: .milliseconds(1234)))
        #expect(try on.integer("PRAGMA foreign_keys") == 1)
        #expect(try on.integer("PRAGMA busy_timeout") == 1234)
        let off = try Database(path: ":memory:", options: .init(foreignKeys: false))
        #expect(try off.integer("PRAGMA foreign_keys") == 0)
    }

    @Test func foreignKeysAreEnforced() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE region(code TEXT PRIMARY KEY); CREATE TABLE obs(region TEXT REFERENCES region(code))")
        let error = sqliteError { try db.execute("INSERT INTO obs VALUES (?)", arguments: ["VN-69"]) }
        #expect(error?.isConstraintViolation == true)
        #expect(error?.message == "FOREIGN KEY constraint failed")
    }

    @Test func openingAMissingFileWithoutCreateFails() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("absent.sqlite")
        let error = sqliteError { _ = try Database(path: path, options: .init(create: false)) }
        #expect(error?.resultCode == SQLITE_CANTOPEN)
        #expect(error?.message.contains(path) == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func scriptErrorNamesTheFailingStatement() throws {
        let db = try Database(path: ":memory:")
        let error = sqliteError {
            try db.execute("CREATE TABLE a(x);\n INSERT INTO a VALUES (1);\n INSERT INTO missing VALUES (2);\n CREATE TABLE b(y)")
        }
        #expect(error?.message == "no such table: missing")
        #expect(error?.sql == "INSERT INTO missing VALUES (2);")
        // Statements before the failing one ran; those after did not.
        #expect(try db.integer("SELECT count(*) FROM a") == 1)
        #expect(try db.integer("SELECT count(*) FROM sqlite_schema WHERE name = 'b'") == 0)
    }

    @Test func constraintErrorCarriesSQLAndArguments() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE)")
        let insert = try db.prepare("INSERT INTO t(name) VALUES (?)")
        try insert.execute(["Hà Nội"])
        let error = sqliteError { try insert.execute(["Hà Nội"]) }
        #expect(error?.resultCode == SQLITE_CONSTRAINT)
        #expect(error?.extendedResultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(error?.sql == "INSERT INTO t(name) VALUES (?)")
        #expect(error?.arguments == [.text("Hà Nội")])
        #expect(error?.description == """
            SQLite error 19 SQLITE_CONSTRAINT (extended 2067): UNIQUE constraint failed: t.name \
            — while executing `INSERT INTO t(name) VALUES (?)` with arguments ['Hà Nội']
            """)
        // The statement was reset by the failure and runs again.
        try insert.execute(["Huế"])
        #expect(try db.integer("SELECT count(*) FROM t") == 2)
    }

    @Test func syntaxErrorCarriesSQL() throws {
        let db = try Database(path: ":memory:")
        let error = sqliteError { _ = try db.prepare("SELEC 1") }
        #expect(error?.resultCode == SQLITE_ERROR)
        #expect(error?.sql == "SELEC 1")
        #expect(error?.description.contains("near \"SELEC\": syntax error") == true)
    }

    @Test func prepareTakesExactlyOneStatement() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(x)")
        let error = sqliteError { _ = try db.prepare("SELECT 1; DROP TABLE t") }
        #expect(error?.message.contains("exactly one statement") == true)
        #expect(sqliteError { _ = try db.prepare("  -- only a comment\n") }?.message == "no SQL statement to prepare")
        _ = try db.prepare("SELECT 1; -- trailing comment\n ;")
        #expect(try db.integer("SELECT count(*) FROM t") == 0)
    }

    @Test func userVersionRoundTrips() throws {
        let db = try Database(path: ":memory:")
        #expect(try db.userVersion() == 0)
        try db.setUserVersion(42)
        #expect(try db.userVersion() == 42)
        try db.setUserVersion(-7)
        #expect(try db.userVersion() == -7)
    }

    @Test func lastInsertRowIDAndChanges() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)")
        try db.execute("INSERT INTO t(id, v) VALUES (?, ?)", arguments: [40, 1])
        #expect(db.lastInsertRowID == 40)
        try db.execute("INSERT INTO t(v) VALUES (2), (3), (4)")
        #expect(db.lastInsertRowID == 43)
        #expect(db.changes == 3)
        try db.execute("UPDATE t SET v = v + 1 WHERE v >= ?", arguments: [3])
        #expect(db.changes == 2)
        #expect(db.totalChanges == 6)
    }

    @Test func attachBindsPathAndName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let otherPath = directory.file("it's \"other\".sqlite")
        let other = try Database(path: otherPath)
        try other.execute("CREATE TABLE agency(code TEXT); INSERT INTO agency VALUES ('GSO')")
        let db = try Database(path: directory.file("main.sqlite"))
        try db.attach(otherPath, as: "we\"ird name")
        #expect(try db.firstValue("SELECT code FROM \"we\"\"ird name\".agency") == .text("GSO"))
        try db.detach("we\"ird name")
        #expect(sqliteError { _ = try db.prepare("SELECT code FROM \"we\"\"ird name\".agency") } != nil)
    }
}
