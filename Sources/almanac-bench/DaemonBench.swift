import AlmanacDomain
import AlmanacGenerate
import AlmanacStore
import Foundation
import Glibc

/// `almanac-bench daemon [--files N] [--json]`: the same agency files (the first N of a
/// generated release calendar, in release order) ingested two ways into two fresh stores in
/// the same run: by `almanac ingest` (one process per run of files from the same agency, as
/// an agency's script would call it), and through the inbox by `almanac daemon` (dropped in
/// release order before it starts, `--settle 0 --exit-when-idle`, timed from start to exit).
/// Reports files/s and observations/s and the ratio; both stores must end with the same
/// accepted submissions and observations.
enum DaemonBench {
    static func run(_ args: BenchArguments) throws {
        let count = args.int("files", default: 300)
        let json = args.flags.contains("json")
        let almanac = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("almanac").path
        guard FileManager.default.isExecutableFile(atPath: almanac) else {
            throw BenchError("\(almanac) not found: build the almanac product in the same configuration")
        }
        let root = args.values["dir"] ?? NSTemporaryDirectory() + "almanac-bench-daemon-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { if args.values["dir"] == nil { try? FileManager.default.removeItem(atPath: root) } }

        // Files: two years of the release calendar are more than enough for the default N.
        let files = URL(fileURLWithPath: root + "/files")
        let summary = try Generator(GeneratorOptions(from: 2019, to: 2025, seed: 7)).write(to: files)
        let manifest = try JSONDecoder().decode(GenerationManifest.self, from: Data(contentsOf: summary.manifest))
        let chosen = Array(manifest.files.prefix(count))
        let observations = chosen.reduce(0) { $0 + $1.rows }

        func prepare(_ path: String) throws -> Store {
            let store = Store(path: path)
            _ = try store.initialize()
            try store.registerAgencies(try manifest.agencies.map { try $0.agency() })
            return store
        }

        // 1. Direct: almanac ingest, one process per run of consecutive files of one agency.
        let direct = try prepare(root + "/direct")
        var runs: [(agency: String, paths: [String])] = []
        for f in chosen {
            let path = files.appendingPathComponent(f.path).path
            if runs.last?.agency == f.agency { runs[runs.count - 1].paths.append(path) } else { runs.append((f.agency, [path])) }
        }
        let directSeconds = try measure {
            for r in runs {
                let status = try runProcess(almanac, ["ingest"] + r.paths + ["--agency", r.agency, "--store", root + "/direct"])
                guard status == 0 else { throw BenchError("almanac ingest failed (\(status)) for \(r.agency)") }
            }
        }

        // 2. Through the inbox: dropped in release order (renamed in), then the daemon drains it.
        let viaDaemon = try prepare(root + "/daemon")
        let inbox = root + "/inbox"
        for f in chosen {
            let folder = inbox + "/" + f.agency
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let name = (f.path as NSString).lastPathComponent
            try FileManager.default.copyItem(atPath: files.appendingPathComponent(f.path).path, toPath: folder + "/." + name)
            guard rename(folder + "/." + name, folder + "/" + name) == 0 else { throw BenchError("rename into \(folder) failed") }
            usleep(1_000) // distinct arrival times, so release order is arrival order
        }
        let daemonSeconds = try measure {
            let status = try runProcess(almanac, ["daemon", "--store", root + "/daemon", "--inbox", inbox, "--settle", "0", "--exit-when-idle", "--log-level", "warning"])
            guard status == 0 else { throw BenchError("almanac daemon failed (\(status))") }
        }

        // Both ways must give the same store.
        let a = try direct.status(), b = try viaDaemon.status()
        guard a.submissions.accepted == b.submissions.accepted,
              a.rowCounts.first(where: { $0.table == "observations" })?.rows == b.rowCounts.first(where: { $0.table == "observations" })?.rows else {
            throw BenchError("the two stores differ: direct \(a.submissions.accepted) accepted, daemon \(b.submissions.accepted)")
        }

        let bytes = chosen.reduce(0) { total, f in
            total + ((try? FileManager.default.attributesOfItem(atPath: files.appendingPathComponent(f.path).path)[.size] as? Int) ?? 0)
        }
        let directFiles = BenchRow(name: "files", subject: "almanac ingest", seconds: directSeconds, items: chosen.count, bytes: bytes)
        let daemonFiles = BenchRow(name: "files", subject: "almanac daemon", seconds: daemonSeconds, items: chosen.count, bytes: bytes)
        let directObs = BenchRow(name: "observations", subject: "almanac ingest", seconds: directSeconds, items: observations, bytes: bytes)
        let daemonObs = BenchRow(name: "observations", subject: "almanac daemon", seconds: daemonSeconds, items: observations, bytes: bytes)
        printReport(title: "daemon: \(chosen.count) agency files (\(observations) observations) through the inbox vs almanac ingest",
                    rows: [daemonFiles, directFiles, daemonObs, directObs],
                    ratios: [BenchRatio(name: "inbox files/s vs almanac ingest", ours: daemonFiles, reference: directFiles, target: 0.9)],
                    extras: [("ingest processes", String(runs.count)), ("accepted submissions", String(b.submissions.accepted))],
                    json: json)
    }

    static func runProcess(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }
}
