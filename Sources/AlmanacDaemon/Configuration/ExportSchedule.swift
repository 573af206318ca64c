import Foundation

/// The formats a scheduled export can write (what `Store.export` accepts).
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    case csv
    case jsonl
    case sqlite
    case sdmxCSV = "sdmx-csv"
}

/// One `[[export]]` table of the configuration: what to export, when, where, and how many
/// snapshots to keep.
public struct ExportSchedule: Sendable, Equatable {
    /// Longest name accepted; it is part of every snapshot directory's name.
    public static let nameCharactersMax = 64

    /// Unique among the exports; lower-case letters, digits and hyphens.
    public var name: String
    public var cron: CronExpression
    public var format: ExportFormat
    /// The output root, absolute: each run writes `<out>/<name>-<UTC stamp>/`.
    public var out: String
    /// Retention: how many of the newest snapshots of this export to keep (at least 1).
    public var keep: Int
    /// A query in the pipeline language whose result is exported; nil exports everything.
    public var query: String?
    /// A fixed knowledge time (`YYYY-MM-DD`, the end of that day); nil means as of the run.
    public var asOf: String?

    public init(name: String, cron: CronExpression, format: ExportFormat, out: String, keep: Int,
                query: String? = nil, asOf: String? = nil) {
        self.name = name
        self.cron = cron
        self.format = format
        self.out = out
        self.keep = keep
        self.query = query
        self.asOf = asOf
    }

    /// Whether `name` is a valid export name: 1 to ``nameCharactersMax`` of `[a-z0-9-]`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= nameCharactersMax
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// The name of the snapshot directory of the run scheduled at `scheduled`:
    /// `<name>-<UTC stamp>`, e.g. `nightly-csv-20211231T020000Z`.
    public func snapshotName(scheduled: Date) -> String {
        name + "-" + CivilTime.compactStamp(scheduled)
    }

    /// The full path of that directory under ``out``.
    public func snapshotDirectory(scheduled: Date) -> String {
        (out.hasSuffix("/") ? out : out + "/") + snapshotName(scheduled: scheduled)
    }

    /// The snapshots that retention removes: among directory names found in ``out``, those
    /// of this export (exactly `<name>-<stamp>`) older than the newest ``keep``, oldest first.
    ///
    /// Names of other exports, temporary directories and anything else are never returned,
    /// even when they share the prefix (`nightly` does not claim `nightly-csv-…`).
    public func expiredSnapshots(among names: [String]) -> [String] {
        let prefix = name + "-"
        let mine = names.compactMap { entry -> (Date, String)? in
            guard entry.hasPrefix(prefix),
                  let stamp = CivilTime.parseCompactStamp(entry.dropFirst(prefix.count)) else { return nil }
            return (stamp, entry)
        }.sorted { $0.0 < $1.0 }
        return mine.dropLast(keep).map(\.1)
    }
}
