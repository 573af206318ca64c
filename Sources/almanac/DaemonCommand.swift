import AlmanacDaemon
import ArgumentParser
import Foundation
import Logging

/// `almanac daemon`: consume agency files from an inbox unattended (and run scheduled exports).
struct DaemonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Ingest agency files dropped into an inbox, one folder per agency, until SIGTERM or SIGINT.",
        discussion: """
        Each complete file in <inbox>/<agency-id>/ is claimed (moved into the store), validated, \
        appended, projected, then archived or quarantined, exactly as `almanac ingest` does. \
        A file is complete when it was renamed into the folder, or when its size has not changed \
        for --settle seconds; dotfiles and names ending in .part, .tmp, .partial, ~ are ignored. \
        An agency with a public key drops <file>.sig first, then <file>. \
        Logs one logfmt line per file on standard error; the status file is <store>/daemon/status.json \
        (`almanac status` shows it). See docs/daemon.md.
        """)
    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp("The inbox folder (one folder per agency inside).", valueName: "dir")) var inbox: String
    @Option(help: ArgumentHelp("The daemon's TOML configuration (settle and poll times, scheduled exports).", valueName: "file")) var config: String?
    @Option(help: ArgumentHelp("Seconds a file's size must stay unchanged before it is taken (default 2, or the configuration's).", valueName: "seconds"))
    var settle: Double?
    @Option(help: ArgumentHelp("Rescan the inbox at least every this many seconds (default 5, or the configuration's).", valueName: "seconds"))
    var poll: Double?
    @Flag(help: "Stop once the inbox is empty and nothing is in hand (for scripts and the demo).") var exitWhenIdle = false
    @Option(help: ArgumentHelp("Log level: trace, debug, info, notice, warning, error, critical.", valueName: "level")) var logLevel = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown log level \"\(logLevel)\"") }
        if let settle, settle < 0 { throw ValidationError("--settle must be 0 or more seconds") }
        if let poll, poll <= 0 { throw ValidationError("--poll must be more than 0 seconds") }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = LogfmtHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "almanac.daemon")
        let store = (options.path as NSString).standardizingPath
        let inboxPath = (inbox as NSString).standardizingPath
        var daemonOptions = DaemonOptions(exitWhenIdle: exitWhenIdle)
        let schedules = try loadSchedules()
        daemonOptions.settleSeconds = settle ?? schedules.map { Double($0.settleSeconds) } ?? 2
        daemonOptions.pollSeconds = poll ?? schedules.map { Double($0.pollSeconds) } ?? 5
        let daemon = IngestDaemon(storePath: absolute(store), inboxPath: absolute(inboxPath), options: daemonOptions, logger: logger)
        try attachSchedules(schedules, to: daemon, logger: logger)
        let outcome = RunOutcome()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await DaemonService.runUntilSignalled(daemon, logger: logger)
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            throw CommandFailure(message: "daemon: \(error)")
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

/// The error a daemon run ended with, handed from its task to the waiting main thread.
private final class RunOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    func set(_ error: Error) { lock.lock(); stored = error; lock.unlock() }
    var error: Error? { lock.lock(); defer { lock.unlock() }; return stored }
}
