import Foundation
import Testing
import CSQLite
@testable import AlmanacSQLite

/// Read-only connections, the query authorizer, and user text bound as data.
@Suite struct SecurityTests {
    /// A read model with one table, and a restricted read-only connection to it.
    struct Fixture {
        let directory: TemporaryDirectory
        let writer: Database
        let reader: Database

        init() throws {
            directory = try TemporaryDirectory()
            writer = try Database(path: directory.file("model.sqlite"))
            try writer.execute("""
                CREATE TABLE region(code TEXT PRIMARY KEY, name TEXT);
                INSERT INTO region VALUES ('VN-69', 'Thái Nguyên'), ('VN-HN', 'Hà Nội');
                """)
            reader = try Database(path: directory.file("model.sqlite"), options: .readOnlyQueries)
            try reader.restrictToReadOnlyQueries()
        }
    }

    @Test func readOnlyConnectionRefusesWrites() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("model.sqlite")
        try Database(path: path).execute("CREATE TABLE t(x)")
        let reader = try Database(path: path, options: .readOnlyQueries)
        #expect(try reader.integer("PRAGMA query_only") == 1)
        #expect(try reader.journalMode() == "wal")
        let error = sqliteError { try reader.execute("INSERT INTO t VALUES (1)") }
        #expect(error?.resultCode == SQLITE_READONLY)
        #expect(error?.description.contains("attempt to write a readonly database") == true)
        #expect(error?.sql == "INSERT INTO t VALUES (1)")
        #expect(sqliteError { try reader.execute("CREATE TABLE u(y)") }?.resultCode == SQLITE_READONLY)
    }

    @Test func authorizerDeniesAttachAndVacuumInto() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let stolen = fixture.directory.file("stolen.sqlite")
        let attach = sqliteError { try fixture.reader.execute("ATTACH DATABASE '\(stolen)' AS s") }
        #expect(attach?.resultCode == SQLITE_AUTH)
        #expect(attach?.message == "not allowed on a read-only query connection: ATTACH")
        let vacuum = sqliteError { try fixture.reader.vacuumInto(stolen) }
        #expect(vacuum?.message == "not allowed on a read-only query connection: ATTACH")
        #expect(!FileManager.default.fileExists(atPath: stolen))
        #expect(sqliteError { try fixture.reader.execute("DETACH DATABASE main") }?.message
            == "not allowed on a read-only query connection: DETACH")
    }

    @Test func authorizerDeniesLoadExtension() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let error = sqliteError { _ = try fixture.reader.rows("SELECT load_extension('/tmp/evil.so')") }
        #expect(error?.message == "not allowed on a read-only query connection: function load_extension()")
    }

    @Test(arguments: [
        ("PRAGMA writable_schema = 1", "PRAGMA writable_schema = 1"),
        ("PRAGMA query_only = 0", "PRAGMA query_only = 0"),
        ("PRAGMA user_version = 9", "PRAGMA user_version = 9"),
        ("PRAGMA journal_mode = DELETE", "PRAGMA journal_mode = DELETE"),
        ("PRAGMA integrity_check", "PRAGMA integrity_check"),
    ])
    func authorizerDeniesPragmaWrites(sql: String, refused: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let error = sqliteError { try fixture.reader.execute(sql) }
        #expect(error?.message == "not allowed on a read-only query connection: \(refused)")
        #expect(try fixture.reader.integer("PRAGMA query_only") == 1)
    }

    @Test func authorizerAllowsReadingPragmasAndQueries() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let reader = fixture.reader
        #expect(try reader.userVersion() == 0)
        #expect(try reader.rows("PRAGMA table_info(region)").count == 2)
        #expect(try reader.rows("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3)
            SELECT upper(code), i FROM region, n WHERE code = 'VN-69' ORDER BY i
            """) == [["VN-69", 1], ["VN-69", 2], ["VN-69", 3]])
        let count = try reader.transaction(.deferred) {
            try reader.integer("SELECT count(*) FROM region")
        }
        #expect(count == 2)
    }

    @Test(arguments: [
        ("INSERT INTO region VALUES ('x', 'y')", "INSERT into region"),
        ("UPDATE region SET name = 'x'", "UPDATE of region"),
        ("DELETE FROM region", "DELETE from region"),
        ("DROP TABLE region", "schema change (CREATE, DROP or ALTER)"),
        ("CREATE TEMP TABLE scratch(x)", "schema change (CREATE, DROP or ALTER)"),
        ("CREATE INDEX i ON region(name)", "schema change (CREATE, DROP or ALTER)"),
        ("ALTER TABLE region ADD COLUMN x", "ALTER TABLE region"),
    ])
    func authorizerDeniesWritesAndDDL(sql: String, refused: String) throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let error = sqliteError { try fixture.reader.execute(sql) }
        #expect(error?.message == "not allowed on a read-only query connection: \(refused)")
        #expect(try fixture.writer.integer("SELECT count(*) FROM region") == 2)
    }

    @Test func injectionStringBoundAsParameterIsData() throws {
        let fixture = try Fixture()
        defer { fixture.directory.remove() }
        let hostile = "x'); DROP TABLE region; --"
        try fixture.writer.execute("INSERT INTO region VALUES (?, ?)", arguments: ["VN-XX", .text(hostile)])
        #expect(try fixture.writer.firstValue("SELECT name FROM region WHERE code = 'VN-XX'") == .text(hostile))
        // On the query connection the same text only ever matches as a value.
        let select = try fixture.reader.prepare("SELECT code FROM region WHERE name = ?")
        try select.bind([.text(hostile)])
        #expect(try select.rows() == [["VN-XX"]])
        try select.bind(["' OR 1=1 --"])
        #expect(try select.rows() == [])
        #expect(try fixture.writer.integer("SELECT count(*) FROM region") == 3)
    }

    @Test func queryRuntimeLimitsApply() throws {
        let db = try Database(path: ":memory:")
        db.applyQueryRuntimeLimits()
        #expect(db.limit(.attachedDatabases) == 0)
        #expect(db.limit(.length) == 10_000_000)
        let error = sqliteError { _ = try db.rows("SELECT zeroblob(20000000)") }
        #expect(error?.resultCode == SQLITE_TOOBIG)
        let previous = db.setLimit(.length, to: 100)
        #expect(previous == 10_000_000)
        #expect(sqliteError { _ = try db.rows("SELECT ?", arguments: [.text(String(repeating: "a", count: 101))]) }?
            .resultCode == SQLITE_TOOBIG)
    }
}
