import AlmanacLog
import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

@Suite struct ReadModelTests {
    static func populated() throws -> TestStore {
        let t = try TestStore()
        var rows = ""
        for (i, region) in ["01", "19", "79", "31", "48"].enumerated() {
            for m in 1...12 {
                rows += "cpi.index,\(region),2021-\(m < 10 ? "0" : "")\(m),\(100 + i).\(m),index,final,2021-\(m < 10 ? "0" : "")\(m)-28\n"
            }
        }
        _ = try t.ingest("cpi.csv", nativeHeader + rows)
        _ = try t.ingest("rev.csv", nativeHeader + "cpi.index,19,2021-03,999.9,index,revised,2021-05-01\n")
        return t
    }

    @Test func rebuildGivesTheSameDigestAndSwapsGenerations() throws {
        let t = try Self.populated()
        let (live, _) = try t.store.readModel.openCaughtUp()
        let before = try ReadModel.digest(live)
        let generation = try #require(t.store.readModel.current()?.generation)
        // A reader holding the old generation keeps reading it during the swap.
        let oldReader = try Database(path: t.store.readModel.current()!.path, options: .readOnlyQueries)
        let r = try t.store.readModel.rebuild()
        #expect(r.generation == generation + 1)
        #expect(t.store.readModel.current()?.generation == generation + 1)
        let (rebuilt, _) = try t.store.readModel.openCaughtUp()
        #expect(try ReadModel.digest(rebuilt) == before)
        #expect(try oldReader.firstValue("SELECT count(*) FROM observations") == .integer(60))
        // Delete the read models entirely: a rebuild from the log gives the same content.
        try FileManager.default.removeItem(atPath: t.store.layout.readModelDirectory)
        try FileManager.default.createDirectory(atPath: t.store.layout.readModelDirectory, withIntermediateDirectories: true)
        #expect(t.store.readModel.current() == nil)
        let (fresh, _) = try t.store.readModel.openCaughtUp()
        #expect(t.store.readModel.current() != nil)
        #expect(try ReadModel.digest(fresh) == before)
        #expect(try t.store.verify().isClean)
    }

    @Test func aModelFromAnotherSchemaVersionIsRebuiltOnOpen() throws {
        let t = try Self.populated()
        let (db, _) = try t.store.readModel.openCaughtUp()
        let digest = try ReadModel.digest(db)
        try db.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
        let generation = t.store.readModel.current()!.generation
        let (reopened, _) = try t.store.readModel.openCaughtUp()
        #expect(t.store.readModel.current()!.generation == generation + 1)
        #expect(try ReadModel.digest(reopened) == digest)
    }

    @Test func statusShowsLagAndCatchUpHealsIt() throws {
        let t = try Self.populated()
        // Append behind the read model's back (as a crash between append and projection would leave it).
        try t.store.withWriter { w in
            _ = try w.append([PendingEvent(type: "ObservationReported", json: #"{"submission":1,"indicator":"cpi.index","region":"01","period":"2022-01","dims":{"base":"base_2019","group":"general"},"value":"110","unit":"index","status":"final"}"#)])
        }
        let s = try t.store.status()
        #expect(s.lag == 1)
        #expect(s.checkpoint + 1 == s.logHead)
        _ = try t.store.readModel.openCaughtUp()
        #expect(try t.store.status().lag == 0)
    }

    @Test func theRealSqlite3SaysTheModelIsSound() throws {
        let sqlite3 = try #require(Executables.which("sqlite3"), "the sqlite3 command is required (tools/test installs it)")
        let t = try Self.populated()
        let path = try #require(t.store.readModel.current()?.path)
        let integrity = try Executables.run(sqlite3, [path, "PRAGMA integrity_check"])
        #expect(integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        let count = try Executables.run(sqlite3, [path, "SELECT count(*) FROM observations"])
        #expect(count.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "60")
    }
}
