import Foundation

/// Decides which scheduled exports to run and when, from the configuration and the saved
/// ``ScheduleState``. Pure: it reads no clock and touches no file; the daemon passes the time
/// in and saves ``state`` after ``init(configuration:state:startedAt:)`` and after each
/// ``record(_:finishedAt:outcome:directory:)``.
///
/// The daemon's loop:
///
/// ```swift
/// var scheduler = ExportScheduler(configuration: config, state: try .load(path: p), startedAt: now())
/// try scheduler.state.save(path: p)                  // the baselines of new exports
/// while running {
///     for run in scheduler.due(now: now()) {
///         let outcome = … store.export(…) into run.directory …
///         scheduler.record(run, finishedAt: now(), outcome: outcome, directory: run.directory)
///         try scheduler.state.save(path: p)
///         remove each of run.export.expiredSnapshots(among: <names in run.export.out>)
///     }
///     sleep(until: scheduler.nextWakeup(after: now()))  // nil: no exports
/// }
/// ```
///
/// Rules:
/// - An export runs at most once per call of ``due(now:)``, for the latest occurrence of its
///   cron expression at or before `now` that is later than its last run. When several
///   occurrences passed (the daemon was down, or busy), only the latest is run: a missed
///   run is made up once, never once per missed occurrence. It is `madeUp` when its
///   occurrence passed before this scheduler started.
/// - An export with no state starts from ``startedAt``: nothing before it is made up. Its
///   baseline is put in ``state`` so that a later start knows what was missed.
/// - A run handed out by ``due(now:)`` is in flight until recorded: meanwhile its export gets
///   no other run (never two at once), and occurrences that pass are coalesced into one run
///   after it. If the daemon dies before recording it, the next start makes it up (at least once).
/// - A failed run counts as run: it is retried at the next occurrence, not in a loop.
public struct ExportScheduler: Sendable {
    public let configuration: DaemonConfiguration
    /// What to save after init and after each record.
    public private(set) var state: ScheduleState
    /// When the daemon started; occurrences before it that are run are `madeUp`.
    public let startedAt: Date
    /// Runs handed out by `due(now:)` and not yet recorded: export name → scheduled time.
    private var inFlight: [String: Date] = [:]

    /// - Parameters:
    ///   - configuration: The exports and the time zone of their cron expressions.
    ///   - state: The state saved by an earlier run of the daemon (empty on the first start).
    ///   - startedAt: The time now, when the daemon starts.
    public init(configuration: DaemonConfiguration, state: ScheduleState, startedAt: Date) {
        precondition(Set(configuration.exports.map(\.name)).count == configuration.exports.count,
                     "export names must be unique (DaemonConfiguration checks this when it reads a file)")
        self.configuration = configuration
        self.state = state
        self.startedAt = startedAt
        for export in configuration.exports where self.state.exports[export.name] == nil {
            self.state.exports[export.name] = ScheduleState.Record(baseline: Self.milliseconds(startedAt))
        }
    }

    /// The runs to start now, earliest scheduled first (ties in the order of the configuration).
    ///
    /// Each returned run is in flight until recorded: later calls return nothing for its export.
    public mutating func due(now: Date) -> [DueExport] {
        var runs: [DueExport] = []
        for export in configuration.exports where inFlight[export.name] == nil {
            guard let latest = export.cron.previous(atOrBefore: now, timeZone: configuration.timeZone),
                  latest > cursor(export.name) else { continue }
            inFlight[export.name] = latest
            runs.append(DueExport(export: export, scheduled: latest, madeUp: latest < startedAt))
        }
        // A stable sort keeps the configuration's order among equal times.
        return runs.enumerated().sorted { ($0.element.scheduled, $0.offset) < ($1.element.scheduled, $1.offset) }.map(\.element)
    }

    /// When ``due(now:)`` will next have a run: the earliest next occurrence over the exports
    /// not in flight, never earlier than `now` (it is `now` when a run is due that has not been
    /// handed out).
    ///
    /// - Returns: nil when there are no exports (or none of them can fire again).
    public func nextWakeup(after now: Date) -> Date? {
        // An export in flight is woken by its record, not by the clock.
        configuration.exports.filter { inFlight[$0.name] == nil }.compactMap { export in
            export.cron.next(after: cursor(export.name), timeZone: configuration.timeZone).map { max($0, now) }
        }.min()
    }

    /// Records how a run handed out by ``due(now:)`` ended.
    ///
    /// - Parameters:
    ///   - run: The run.
    ///   - finishedAt: When it ended (kept to the millisecond).
    ///   - outcome: `.ok`, or `.error` with the message.
    ///   - directory: The snapshot directory it wrote (normally `run.directory`).
    public mutating func record(_ run: DueExport, finishedAt: Date, outcome: ExportOutcome, directory: String) {
        var record = state.exports[run.name] ?? ScheduleState.Record(baseline: Self.milliseconds(startedAt))
        // A late record of an older run never moves the schedule back.
        if record.lastScheduled.map({ run.scheduled >= $0 }) ?? true {
            record.lastScheduled = run.scheduled
            record.finishedAt = Self.milliseconds(finishedAt)
            record.outcome = outcome
            record.directory = directory
            state.exports[run.name] = record
        }
        if let pending = inFlight[run.name], pending <= run.scheduled {
            inFlight[run.name] = nil
        }
    }

    /// Occurrences at or before this are done, in flight, or before the export was first scheduled.
    private func cursor(_ name: String) -> Date {
        let record = state.exports[name]
        var cursor = record?.lastScheduled ?? record?.baseline ?? startedAt
        if let pending = inFlight[name], pending > cursor { cursor = pending }
        return cursor
    }

    /// `date` to the millisecond, as the state file keeps it, so a saved state reads back equal.
    static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: TimeInterval(Int64((date.timeIntervalSince1970 * 1000).rounded())) / 1000)
    }
}
