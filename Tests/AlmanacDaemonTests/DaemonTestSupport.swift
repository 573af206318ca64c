import AlmanacDaemon
import AlmanacTesting
import Foundation
import Glibc
import Testing

/// A store, an inbox and the real `almanac daemon` process, for the daemon's tests.
final class DaemonFixture {
    let dir: TemporaryDirectory
    let store: String
    let inbox: String
    let almanac: String
    private(set) var process: Process?

    init(_ name: String) throws {
        dir = TemporaryDirectory(name)
        store = dir.file("store")
        inbox = dir.file("inbox")
        almanac = Executables.path("almanac")
        try #require(FileManager.default.isExecutableFile(atPath: almanac), "build almanac first (\(almanac))")
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try run(["init", "--store", store])
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try Executables.almanac(arguments)
        #expect(r.status == 0, "almanac \(arguments.joined(separator: " ")): \(r.stderr)")
        return r
    }

    func addAgency(_ id: String, families: String? = nil, regions: String? = nil) throws {
        var args = ["agency", "add", id, "--name", "Agency \(id)", "--store", store]
        if let families { args += ["--families", families] }
        if let regions { args += ["--regions", regions] }
        try run(args)
    }

    /// Drops a file the way the inbox contract asks: written under a dotfile name, then renamed in.
    func drop(_ text: String, agency: String, name: String) throws {
        let folder = inbox + "/" + agency
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/." + name + ".tmp"
        FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8))
        guard rename(temporary, folder + "/" + name) == 0 else {
            throw DaemonError("rename into \(folder) failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Starts the daemon (stderr to a log file in the temporary folder).
    func start(_ extra: [String] = [], environment: [String: String] = [:]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: almanac)
        p.arguments = ["daemon", "--store", store, "--inbox", inbox, "--settle", "0.2", "--poll", "0.3"] + extra
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.standardOutput = FileHandle.nullDevice
        let logPath = dir.file("daemon.log")
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = FileHandle(forWritingAtPath: logPath)!
        log.seekToEndOfFile()
        p.standardError = log
        try p.run()
        process = p
    }

    func kill9() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    /// The daemon died by itself (a fault point).
    var hasDied: Bool {
        guard let p = process else { return false }
        // A dead child is a zombie until reaped (or gone once Foundation reaped it).
        guard let stat = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    func reap() {
        process?.waitUntilExit()
        process = nil
    }

    func terminate() -> (reason: Process.TerminationReason, status: Int32)? {
        guard let p = process else { return nil }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        process = nil
        return (p.terminationReason, p.terminationStatus)
    }

    func waitForExit() -> Int32? {
        guard let p = process else { return nil }
        p.waitUntilExit()
        process = nil
        return p.terminationStatus
    }

    var status: DaemonStatus? { DaemonStatus.load(storePath: store) }

    /// Files still waiting in the inbox (not dotfiles).
    func inboxFiles() -> [String] {
        var out: [String] = []
        for agency in (try? FileManager.default.contentsOfDirectory(atPath: inbox)) ?? [] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: inbox + "/" + agency)) ?? [] where !name.hasPrefix(".") {
                out.append(agency + "/" + name)
            }
        }
        return out
    }

    func entries(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: store + "/" + relative)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    var daemonLog: String { (try? String(contentsOfFile: dir.file("daemon.log"), encoding: .utf8)) ?? "" }

    deinit { kill9() }
}

/// A small native CSV of CPI figures: `regions` × months of `year`, values offset by `shift`.
func cpiFile(regions: [String], year: Int, months: ClosedRange<Int> = 1...6, shift: Double = 0, indicator: String = "cpi.index") -> String {
    var text = "indicator,region,period,value,unit,status,release_date\n"
    for region in regions {
        for m in months {
            let value = 100 + Double(m) * 0.37 + Double(year - 2000) * 0.11 + shift
            text += "\(indicator),\(region),\(year)-\(m < 10 ? "0" : "")\(m),\(String(format: "%.2f", value)),index,final,\n"
        }
    }
    return text
}
