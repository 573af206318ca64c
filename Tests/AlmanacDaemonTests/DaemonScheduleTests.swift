import AlmanacDaemon
import AlmanacStore
import AlmanacTesting
import Crypto
import Foundation
import Glibc
import Testing

/// Scheduled exports run by the real daemon: a run missed while it was down is made up once
/// on start (and not again on the next start), the snapshot's manifest checksums verify,
/// and the daemon's status shows the export.
@Suite struct DaemonScheduleTests {
    @Test func aMissedRunIsMadeUpOnceOnStart() throws {
        let f = try DaemonFixture("daemon-schedule")
        try f.addAgency("gso")
        try f.drop(cpiFile(regions: ["01", "19"], year: 2021), agency: "gso", name: "cpi-2021.csv")
        let out = f.dir.file("exports")
        let config = f.dir.file("daemon.toml")
        try """
        settle_seconds = 0
        poll_seconds = 1

        [[export]]
        name = "hourly-csv"
        cron = "0 * * * *"
        format = "csv"
        out = "\(out)"
        keep = 2
        """.write(toFile: config, atomically: true, encoding: .utf8)

        // First start: the file is ingested; nothing was missed yet (the baseline is now).
        try f.start(["--config", config, "--exit-when-idle"])
        #expect(f.waitForExit() == 0, "\(f.daemonLog.suffix(2000))")
        #expect(f.status?.files.accepted == 1)
        let statePath = f.store + "/daemon/schedules.json"
        var state = try ScheduleState.load(path: statePath)
        let record = try #require(state.exports["hourly-csv"])
        #expect(record.lastScheduled == nil)

        // Pretend the daemon was down for five hours: five occurrences passed.
        state.exports["hourly-csv"] = ScheduleState.Record(baseline: record.baseline.addingTimeInterval(-5 * 3600))
        try state.save(path: statePath)
        try f.start(["--config", config, "--exit-when-idle"])
        #expect(f.waitForExit() == 0, "\(f.daemonLog.suffix(2000))")
        let snapshots = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { !$0.hasPrefix(".") }
        #expect(snapshots.count == 1, "made up \(snapshots.count) runs: \(snapshots)")
        let snapshot = try #require(snapshots.first)
        #expect(snapshot.hasPrefix("hourly-csv-"))

        // Its manifest's checksums verify.
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: out + "/" + snapshot + "/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        let files = try #require(manifest["files"] as? [[String: Any]])
        #expect(!files.isEmpty)
        for file in files {
            let name = try #require(file["name"] as? String)
            let sha = try #require(file["sha256"] as? String)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/" + snapshot + "/" + name))
            #expect(SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() == sha, "\(name)")
        }
        let after = try ScheduleState.load(path: statePath)
        #expect(after.exports["hourly-csv"]?.lastScheduled != nil)
        #expect(f.status?.exports.first?.name == "hourly-csv")
        #expect(f.status?.exports.first?.outcome == "ok")
        #expect(f.daemonLog.contains("msg=exported"))

        // A third start within the same hour makes nothing up again.
        try f.start(["--config", config, "--exit-when-idle"])
        #expect(f.waitForExit() == 0)
        let again = ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).filter { !$0.hasPrefix(".") }
        #expect(again == snapshots)
    }

    @Test func aBadConfigurationIsAUsageError() throws {
        let f = try DaemonFixture("daemon-bad-config")
        let config = f.dir.file("daemon.toml")
        try "settle_secnds = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        let r = try Executables.almanac(["daemon", "--store", f.store, "--inbox", f.inbox, "--config", config, "--exit-when-idle"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("daemon.toml"), "\(r.stderr)")
        #expect(r.stderr.contains("settle_seconds"), "no did-you-mean: \(r.stderr)")
    }
}
