import AlmanacDaemon
import AlmanacStore
import AlmanacTesting
import Foundation
import Glibc
import Testing

/// SIGTERM while a burst of files is being taken: the daemon finishes the file in hand and
/// stops with status 0; nothing is half done (no claim in hand, no private copy left), and
/// every file is either still in the inbox or ingested, never both, never neither.
@Suite struct DaemonStopTests {
    @Test func sigtermDuringABurstStopsCleanly() throws {
        let f = try DaemonFixture("daemon-sigterm")
        try f.addAgency("gso")
        let count = 80
        for i in 0..<count {
            try f.drop(cpiFile(regions: ["01", "19", "79", "48", "31", "92"], year: 1950 + i, months: 1...12), agency: "gso", name: "burst-\(i).csv")
        }
        try f.start()
        // Wait until a few files are done, then ask it to stop mid-burst.
        var spins = 0
        while (f.status?.files.accepted ?? 0) < 3 && spins < 6000 {
            usleep(10_000)
            spins += 1
        }
        let stop = try #require(f.terminate())
        #expect(stop.reason == .exit)
        #expect(stop.status == 0, "daemon log:\n\(f.daemonLog.suffix(2000))")

        let status = try #require(f.status)
        #expect(status.state == "stopped")
        #expect(f.entries("daemon/processing").isEmpty, "a file was left in hand")
        #expect(f.entries("tmp").filter { $0.hasSuffix(".part") }.isEmpty, "a private copy was left")
        let left = f.inboxFiles().count
        #expect(status.files.accepted + left == count, "\(status.files.accepted) ingested + \(left) waiting != \(count)")
        #expect(status.files.accepted >= 3)
        #expect(left > 0, "the burst was over before SIGTERM; nothing shows the stop was clean mid-burst")

        let store = Store(path: f.store)
        let report = try store.verify()
        #expect(report.differingTables.isEmpty)
        let (db, _) = try store.readModel.openCaughtUp()
        #expect(try db.firstValue("SELECT count(*) FROM submissions WHERE status = 'accepted'") == .integer(Int64(status.files.accepted)))
        #expect(f.daemonLog.contains("msg=\"daemon stopped\""))

        // A restart takes the rest.
        try f.start(["--exit-when-idle"])
        #expect(f.waitForExit() == 0)
        #expect(f.status?.files.accepted == count)
        #expect(f.inboxFiles().isEmpty)
    }

    @Test func secondDaemonOnTheSameStoreIsRefused() throws {
        let f = try DaemonFixture("daemon-twice")
        try f.addAgency("gso")
        try f.start()
        var spins = 0
        while f.status?.state != "running" && spins < 3000 { usleep(10_000); spins += 1 }
        let second = try Executables.almanac(["daemon", "--store", f.store, "--inbox", f.inbox, "--exit-when-idle"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("another daemon (pid \(f.status?.pid ?? -1)) already serves the store"), "\(second.stderr)")
        _ = f.terminate()
    }

    @Test func inboxOnAnotherFileSystemOrMissingIsRefused() throws {
        let f = try DaemonFixture("daemon-inbox")
        let missing = try Executables.almanac(["daemon", "--store", f.store, "--inbox", f.dir.file("nowhere")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("is not a folder"), "\(missing.stderr)")
        if FileManager.default.fileExists(atPath: "/dev/shm") {
            let shm = "/dev/shm/almanac-inbox-\(getpid())"
            try FileManager.default.createDirectory(atPath: shm, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: shm) }
            var a = stat(), b = stat()
            if stat(shm, &a) == 0, stat(f.store, &b) == 0, a.st_dev != b.st_dev {
                let other = try Executables.almanac(["daemon", "--store", f.store, "--inbox", shm])
                #expect(other.status == 1)
                #expect(other.stderr.contains("different file systems"), "\(other.stderr)")
            }
        }
    }
}
