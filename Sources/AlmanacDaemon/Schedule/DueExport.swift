import Foundation

/// A run of a scheduled export that is due: what ``ExportScheduler/due(now:)`` hands the
/// daemon, and what the daemon hands back to ``ExportScheduler/record(_:finishedAt:outcome:directory:)``.
public struct DueExport: Sendable, Equatable {
    /// The export's configuration.
    public var export: ExportSchedule
    /// The occurrence of the cron expression this run stands for (whole minute).
    public var scheduled: Date
    /// True when the scheduled time passed while the daemon was not running and the run is
    /// made up on start; only the latest missed occurrence is ever made up.
    public var madeUp: Bool
    /// Where the snapshot goes: `<out>/<name>-<UTC stamp of scheduled>`.
    public var directory: String

    public var name: String { export.name }

    public init(export: ExportSchedule, scheduled: Date, madeUp: Bool) {
        self.export = export
        self.scheduled = scheduled
        self.madeUp = madeUp
        self.directory = export.snapshotDirectory(scheduled: scheduled)
    }
}

/// How a run ended.
public enum ExportOutcome: Sendable, Equatable {
    case ok
    /// The export failed; the text is the error's one-line message.
    case error(String)
}
