import AlmanacDaemon
import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Foundation
import Glibc
import Testing

/// The real daemon is killed with SIGKILL at random moments, again and again, while several
/// agencies drop 200 files into its inbox (new figures, revisions, duplicates, invalid and
/// out-of-scope files), and restarted each time. At the end: the read model equals a rebuild
/// of the log, every file was archived or quarantined exactly once, nothing is left in the
/// inbox or in hand, and the daemon's counts match the files.
///
/// `ALMANAC_SOAK_KILLS` raises the number of kills (default 60).
@Suite struct DaemonCrashTests {
    static var kills: Int { Int(ProcessInfo.processInfo.environment["ALMANAC_SOAK_KILLS"] ?? "").map { max($0 / 3, 60) } ?? 60 }

    struct Drop {
        var agency: String
        var name: String
        var text: String
    }

    /// 200 files: 130 new, 30 revisions (after their originals), 20 duplicates, 20 invalid.
    static func files() -> (drops: [Drop], accepted: Int, duplicates: Int, rejected: Int, revised: [String: String]) {
        var drops: [Drop] = []
        var originals: [Drop] = []
        let agencies: [(id: String, regions: [String])] = [("gso", ["01", "79"]), ("tn-stats", ["19"]), ("hn-stats", ["01"]), ("hcm-stats", ["79"])]
        var revised: [String: String] = [:]
        for i in 0..<130 {
            let a = agencies[i % agencies.count]
            let year = 1990 + i / agencies.count
            let d = Drop(agency: a.id, name: "cpi-\(year)-\(a.id).csv", text: cpiFile(regions: a.regions, year: year))
            drops.append(d)
            originals.append(d)
        }
        // Revisions of the first 30 originals: every value half a point higher.
        for i in 0..<30 {
            let a = agencies[i % agencies.count]
            let year = 1990 + i / agencies.count
            drops.append(Drop(agency: a.id, name: "cpi-\(year)-\(a.id)-revised.csv", text: cpiFile(regions: a.regions, year: year, shift: 0.5)))
            for region in a.regions {
                let value = 100 + 1 * 0.37 + Double(year - 2000) * 0.11 + 0.5
                revised["\(region)|\(year)-01"] = String(format: "%.2f", value)
            }
        }
        // The same bytes again under other names: duplicates.
        for i in 0..<20 {
            let o = originals[40 + i]
            drops.append(Drop(agency: o.agency, name: "again-\(i)-" + o.name, text: o.text))
        }
        // Invalid: an unknown region, a bad period, a region out of the agency's scope, a bad value.
        for i in 0..<20 {
            let text: String
            switch i % 4 {
            case 0: text = "indicator,region,period,value,unit,status,release_date\ncpi.index,Thai Ngyen \(i),2021-01,100.5,index,final,\n"
            case 1: text = "indicator,region,period,value,unit,status,release_date\ncpi.index,01,2021-13,100.\(i),index,final,\n"
            case 2: text = "indicator,region,period,value,unit,status,release_date\ncpi.index,48,2021-0\(i % 9 + 1),100.5,index,final,\n"
            default: text = "indicator,region,period,value,unit,status,release_date\ncpi.index,01,2021-0\(i % 9 + 1),abc\(i),index,final,\n"
            }
            drops.append(Drop(agency: i % 4 == 2 ? "hn-stats" : "gso", name: "bad-\(i).csv", text: text))
        }
        // Interleave so revisions come after their originals and duplicates after theirs.
        var order = Array(drops[0..<130])
        order.insert(contentsOf: drops[130..<160], at: 60)
        order.insert(contentsOf: drops[160..<180], at: 120)
        for (k, bad) in drops[180..<200].enumerated() { order.insert(bad, at: min(order.count, 10 + k * 9)) }
        return (order, 160, 20, 20, revised)
    }

    @Test func killedDaemonLosesNothingAndIngestsNothingTwice() throws {
        let f = try DaemonFixture("daemon-crash")
        try f.addAgency("gso")
        try f.addAgency("tn-stats", regions: "19")
        try f.addAgency("hn-stats", regions: "01")
        try f.addAgency("hcm-stats", regions: "79")
        let (drops, accepted, duplicates, rejected, revised) = Self.files()
        #expect(drops.count == 200)

        // Every third start dies by itself at a named point of a file's way (claimed, archived,
        // appended, outcome recorded, counted); the others are SIGKILLed at a random moment.
        let points = ["daemon-after-claim", "after-archive", "after-append", "daemon-after-outcome", "daemon-after-count"]
        var dropped = 0
        var kills = 0, pointKills = 0
        var start = 0
        var faulty = false
        func startNext() throws {
            start += 1
            faulty = start % 3 == 0 && kills < Self.kills
            try f.start(environment: ["ALMANAC_FAULT": faulty ? points[(start / 3) % points.count] : ""])
        }
        try startNext()
        while kills < Self.kills || dropped < drops.count {
            // A burst of files, then a kill at a random moment while they are being taken.
            let burst = Int.random(in: faulty ? 1...6 : 0...6)
            for _ in 0..<burst where dropped < drops.count {
                let d = drops[dropped]
                try f.drop(d.text, agency: d.agency, name: d.name)
                dropped += 1
            }
            if faulty {
                // Give it time to reach its point (a duplicate or a rejection never reaches after-archive).
                var waited = 0
                while !f.hasDied && waited < 300 { usleep(10_000); waited += 1 }
            } else {
                usleep(UInt32.random(in: 5_000...250_000))
            }
            if kills < Self.kills {
                if f.hasDied {
                    pointKills += 1
                    f.reap()
                } else {
                    f.kill9()
                }
                kills += 1
                try startNext()
            }
        }
        // Let the last run finish everything, then stop it when the inbox is empty.
        f.kill9()
        try f.start(["--exit-when-idle"], environment: ["ALMANAC_FAULT": ""])
        let exit = f.waitForExit()
        #expect(exit == 0, "daemon log:\n\(f.daemonLog.suffix(3000))")

        // Nothing left in the inbox, in hand or failed.
        #expect(f.inboxFiles().isEmpty, "left in the inbox: \(f.inboxFiles())")
        #expect(f.entries("daemon/processing").isEmpty, "left in hand: \(f.entries("daemon/processing"))")
        #expect(f.entries("daemon/failed").isEmpty)

        // The daemon's counts match the files.
        let status = try #require(f.status)
        #expect(status.files.accepted == accepted)
        #expect(status.files.duplicate == duplicates)
        #expect(status.files.rejected == rejected)
        #expect(status.files.failed == 0)
        #expect(status.files.total == drops.count)
        #expect(status.state == "stopped")

        // The read model equals a rebuild; each file archived or quarantined exactly once.
        let store = Store(path: f.store)
        let report = try store.verify()
        #expect(report.log.problem == nil)
        #expect(report.differingTables.isEmpty, "differs: \(report.differingTables)")
        let (db, _) = try store.readModel.openCaughtUp()
        let acceptedRows = try db.rows("SELECT agency, sha256, count(*) FROM submissions WHERE status = 'accepted' GROUP BY agency, sha256")
        #expect(acceptedRows.count == accepted)
        #expect(acceptedRows.allSatisfy { $0[2] == .integer(1) }, "a file was accepted twice")
        let rejectedCount = try db.firstValue("SELECT count(*) FROM submissions WHERE status = 'rejected'")
        #expect(rejectedCount == .integer(Int64(rejected)))
        #expect(f.entries("quarantine").count == rejected, "quarantine: \(f.entries("quarantine"))")
        for folder in f.entries("quarantine") {
            #expect(FileManager.default.fileExists(atPath: f.store + "/quarantine/" + folder + "/original"))
        }
        var archived = 0
        for shard in f.entries("archive") { archived += f.entries("archive/" + shard).count }
        #expect(archived == accepted)

        // Revisions arrived after their originals and won.
        for (key, value) in revised {
            let parts = key.split(separator: "|")
            let current = try db.firstValue(
                "SELECT value FROM observations o JOIN series s ON s.id = o.series_id WHERE s.region = ? AND o.period = ?",
                arguments: [.text(String(parts[0])), .text(String(parts[1]))])
            #expect(current == .text(value), "\(key): \(String(describing: current))")
        }
        // Some kills landed with a file in hand (the point of the test).
        let resumed = f.daemonLog.components(separatedBy: "msg=\"finishing a file claimed by an earlier run\"").count - 1
        #expect(resumed > 0, "no kill landed while a file was in hand")
        #expect(pointKills >= 5, "only \(pointKills) starts died at a named point")
        print("daemon crash test: \(drops.count) files, \(kills) kills (\(pointKills) at named points, \(resumed) restarts found a file in hand), \(status.files.accepted) accepted, \(status.files.duplicate) duplicates, \(status.files.rejected) rejected")
    }
}
