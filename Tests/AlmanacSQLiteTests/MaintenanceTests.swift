import Foundation
import Testing
@testable import AlmanacSQLite

/// Backups, VACUUM INTO and integrity checks, verified with the real `sqlite3` shell.
@Suite struct MaintenanceTests {
    func makeModel(in directory: TemporaryDirectory) throws -> Database {
        let db = try Database(path: directory.file("model.sqlite"))
        try db.execute("CREATE TABLE obs(id INTEGER PRIMARY KEY, region TEXT, value REAL)")
        let insert = try db.prepare("INSERT INTO obs(region, value) VALUES (?, ?)")
        try db.transaction {
            for row in 0..<5000 {
                try insert.bind("VN-\(row % 63)", at: 1)
                try insert.bind(Double(row), at: 2)
                _ = try insert.step()
                insert.reset()
            }
        }
        return db
    }

    @Test func integrityCheckReportsOK() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try makeModel(in: directory)
        #expect(try db.integrityCheck() == ["ok"])
    }

    @Test func backupProducesAFileSQLiteOpens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try makeModel(in: directory)
        let copy = directory.file("backup.sqlite")
        try db.backup(to: copy)
        #expect(try runSQLite3(copy, "PRAGMA integrity_check") == "ok")
        #expect(try runSQLite3(copy, "SELECT count(*), sum(value) FROM obs") == "5000|12497500.0")
    }

    @Test func backupInSmallStepsWhileAnotherConnectionReads() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try makeModel(in: directory)
        let reader = try Database(path: db.path, options: .readOnlyQueries)
        try reader.transaction(.deferred) {
            #expect(try reader.integer("SELECT count(*) FROM obs") == 5000)
            try db.backup(to: directory.file("stepped.sqlite"), pagesPerStep: 3)
        }
        #expect(try runSQLite3(directory.file("stepped.sqlite"), "PRAGMA integrity_check") == "ok")
    }

    @Test func vacuumIntoProducesAFileSQLiteOpens() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try makeModel(in: directory)
        let copy = directory.file("it's a copy.sqlite")
        try db.vacuumInto(copy)
        #expect(try runSQLite3(copy, "PRAGMA integrity_check") == "ok")
        #expect(try runSQLite3(copy, "SELECT count(DISTINCT region) FROM obs") == "63")
        // VACUUM INTO never overwrites a file that has content.
        let error = sqliteError { try db.vacuumInto(copy) }
        #expect(error?.message == "output file already exists")
        #expect(error?.arguments == [.text(copy)])
    }

    @Test func checkpointEmptiesTheWAL() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try makeModel(in: directory)
        let result = try db.checkpoint(truncate: true)
        #expect(result.walFrames == result.checkpointed)
        let size = try FileManager.default.attributesOfItem(atPath: db.path + "-wal")[.size] as? Int
        #expect(size == 0)
    }
}
