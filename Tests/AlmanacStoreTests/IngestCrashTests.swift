import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Foundation
import Glibc
import Testing

/// The real `almanac ingest` process is killed at random moments — and on purpose between
/// archiving and appending, and between appending and projecting — again and again on one
/// store. After every kill the store is reopened: the read model catches up and its digest
/// equals a fresh rebuild's; every file whose ingest finished is accepted exactly once; a
/// killed ingest, retried, is accepted once or found to be a duplicate, never twice.
///
/// `ALMANAC_SOAK_KILLS` raises the number of rounds (default 160).
@Suite struct IngestCrashTests {
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["ALMANAC_SOAK_KILLS"] ?? "").map { max($0 / 2, 160) } ?? 160 }

    @Test func killedIngestsLeaveAConsistentStore() throws {
        let almanac = Executables.path("almanac")
        try #require(FileManager.default.isExecutableFile(atPath: almanac), "build almanac first (\(almanac))")
        let dir = TemporaryDirectory("ingest-crash")
        let storePath = dir.file("store")
        #expect(try Executables.almanac(["init", "--store", storePath]).status == 0)
        #expect(try Executables.almanac(["agency", "add", "gso", "--name", "GSO", "--store", storePath]).status == 0)

        // Files: new figures, then revisions of earlier ones, so kills land on every kind of event.
        var files: [String] = []
        for f in 0..<60 {
            var text = "indicator,region,period,value,unit,status,release_date\n"
            let year = 2000 + f % 20
            for region in ["01", "19", "79", "31", "48", "92"] {
                for m in 1...8 {
                    let revision = f >= 20 ? Double(f / 20) * 0.01 : 0
                    text += "cpi.index,\(region),\(year)-0\(m),\(String(format: "%.2f", 100 + Double(m) + revision)),index,final,\n"
                }
            }
            let path = dir.file("f\(f).csv")
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            files.append(path)
        }

        var next = 0
        var kills = 0
        var finished: [String: Int32] = [:]
        for round in 0..<Self.rounds {
            let file = files[next % files.count]
            let p = Process()
            p.executableURL = URL(fileURLWithPath: almanac)
            p.arguments = ["ingest", file, "--agency", "gso", "--store", storePath]
            var env = ProcessInfo.processInfo.environment
            switch round % 5 {
            case 1: env["ALMANAC_FAULT"] = "after-append"
            case 3: env["ALMANAC_FAULT"] = "after-archive"
            default: env.removeValue(forKey: "ALMANAC_FAULT")
            }
            p.environment = env
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            if env["ALMANAC_FAULT"] == nil && round % 8 != 0 {
                usleep(UInt32.random(in: 1_000...60_000))
                kill(p.processIdentifier, SIGKILL)
            }
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal {
                kills += 1
            } else {
                #expect(p.terminationStatus == 0, "round \(round): ingest failed")
                finished[file] = p.terminationStatus
                next += 1
            }
            // Reopen: the read model catches up, and equals a rebuild from the log.
            let store = Store(path: storePath)
            let report = try store.verify()
            #expect(report.log.problem == nil, "round \(round): \(String(describing: report.log.problem))")
            #expect(report.differingTables.isEmpty, "round \(round): differs in \(report.differingTables)")
            #expect(report.integrity == ["ok"])
        }
        // Every file that finished is accepted exactly once; none twice.
        let store = Store(path: storePath)
        let (db, _) = try store.readModel.openCaughtUp()
        let accepted = try db.rows("SELECT sha256, count(*) FROM submissions WHERE status = 'accepted' GROUP BY sha256")
        #expect(accepted.allSatisfy { $0[1] == .integer(1) }, "a file was accepted twice")
        #expect(accepted.count >= Set(finished.keys).count)
        #expect(kills >= 100, "only \(kills) kills")
        print("ingest crash test: \(Self.rounds) rounds, \(kills) kills, \(finished.count) files ingested, \(accepted.count) accepted submissions")
    }
}
