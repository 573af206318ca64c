import AlmanacStore
import Foundation
import Logging

/// The daemon's scheduled exports: asks the `ExportScheduler` what is due, runs each export
/// (`Store.export`) on a thread of its own so ingest goes on meanwhile (an export reads
/// through its own read-only connection inside one read transaction), applies retention,
/// and records the run in `<store>/daemon/schedules.json`.
public final class ScheduledExports: DaemonSideWork, @unchecked Sendable {
    private let store: Store
    private let statePath: String
    private let logger: Logger
    private let lock = NSLock()
    private var scheduler: ExportScheduler
    private var running: Thread?
    private let idle = DispatchGroup()

    public init(configuration: DaemonConfiguration, store: Store, storePath: String, logger: Logger, now: Date = Date()) throws {
        self.store = store
        self.statePath = storePath + "/daemon/schedules.json"
        self.logger = logger
        let state = try ScheduleState.load(path: statePath)
        scheduler = ExportScheduler(configuration: configuration, state: state, startedAt: now)
        try scheduler.state.save(path: statePath) // the baseline of new exports: a later start knows what it missed
    }

    public func runDue(now: Date) {
        lock.lock()
        defer { lock.unlock() }
        guard running == nil else { return }
        let due = scheduler.due(now: now)
        guard !due.isEmpty else { return }
        idle.enter()
        let thread = Thread { [self] in
            for run in due { perform(run) }
            lock.lock()
            running = nil
            lock.unlock()
            idle.leave()
        }
        thread.name = "almanac-export"
        running = thread
        thread.start()
    }

    private func perform(_ run: DueExport) {
        let export = run.export
        var outcome = ExportOutcome.ok
        do {
            try FileManager.default.createDirectory(atPath: export.out, withIntermediateDirectories: true)
            guard let format = ExportRequest.Format(rawValue: export.format.rawValue) else {
                throw DaemonError("unknown export format \(export.format.rawValue)")
            }
            if FileManager.default.fileExists(atPath: run.directory) {
                // Made by an earlier run of the same occurrence that died before recording it.
                logger.info("export already written", metadata: ["export": "\(export.name)", "directory": "\(run.directory)"])
            } else {
                let report = try store.export(ExportRequest(format: format, outputDirectory: run.directory, asOf: export.asOf, query: export.query))
                logger.info("exported", metadata: ["export": "\(export.name)", "directory": "\(report.directory)",
                                                   "made_up": "\(run.madeUp)", "log_position": "\(report.logPosition)",
                                                   "files": "\(report.files.count)"])
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: export.out)) ?? []
            let expired = export.expiredSnapshots(among: names)
            if !expired.isEmpty {
                let removed = try SnapshotRetention.remove(root: export.out, names: expired)
                logger.info("retention", metadata: ["export": "\(export.name)", "keep": "\(export.keep)", "removed": "\(removed.count)"])
            }
        } catch {
            outcome = .error("\(error)")
            logger.error("export failed", metadata: ["export": "\(export.name)", "error": "\(error)"])
        }
        lock.lock()
        scheduler.record(run, finishedAt: Date(), outcome: outcome, directory: run.directory)
        let state = scheduler.state
        lock.unlock()
        do {
            try state.save(path: statePath)
        } catch {
            logger.error("cannot save the schedule state: \(error)")
        }
    }

    public func nextWakeup(after now: Date) -> Date? {
        lock.lock()
        defer { lock.unlock() }
        return scheduler.nextWakeup(after: now)
    }

    public func statusEntries() -> [DaemonStatus.ExportRun] {
        lock.lock()
        defer { lock.unlock() }
        let zone = scheduler.configuration.timeZone
        return scheduler.configuration.exports.map { export in
            let record = scheduler.state.exports[export.name]
            var outcome: String?
            switch record?.outcome {
            case .ok?: outcome = "ok"
            case .error(let message)?: outcome = "error: " + message
            case nil: outcome = nil
            }
            let after = record?.lastScheduled ?? record?.baseline ?? Date()
            return DaemonStatus.ExportRun(name: export.name, lastRun: record?.lastScheduled.map(ScheduledExports.stamp),
                                          outcome: outcome, directory: record?.directory,
                                          next: export.cron.next(after: max(after, Date()), timeZone: zone).map(ScheduledExports.stamp))
        }
    }

    public func drain() {
        idle.wait()
    }

    static func stamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
