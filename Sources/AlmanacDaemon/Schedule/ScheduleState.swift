import Foundation

/// What the scheduler remembers between runs of the daemon, per export name: when the
/// export was first scheduled, the last scheduled time that ran, when it finished, how it
/// ended and where it wrote. Kept at `<store>/daemon/schedules.json`:
///
/// ```json
/// {
///   "exports" : {
///     "nightly-csv" : {
///       "baseline" : "2021-12-29T10:15:00.000Z",
///       "directory" : "/srv/almanac/exports/nightly-csv-20211231T020000Z",
///       "finished_at" : "2021-12-31T02:00:41.250Z",
///       "last_scheduled" : "2021-12-31T02:00:00.000Z",
///       "outcome" : "ok"
///     }
///   },
///   "version" : 1
/// }
/// ```
///
/// Instants are UTC with milliseconds. `outcome` is `"ok"` or `"error"`, with the message in
/// `"error"`. An export that has never run has only its `baseline`. Entries of exports no
/// longer configured are kept, so an export that comes back resumes where it was.
///
/// The file is replaced atomically (temporary file, fsync, rename, fsync of the folder): a
/// crash leaves the old state or the new one, never a mix. What it does not guarantee: a run
/// that finished but whose state was not yet saved is run again after a crash (at least once).
public struct ScheduleState: Sendable, Equatable, Codable {
    /// The version this code writes; a file of a later version is refused, not misread.
    public static let version = 1
    /// A state file is a few hundred bytes per export.
    public static let fileBytesMax = 16 << 20

    /// What is known of one export.
    public struct Record: Sendable, Equatable, Codable {
        /// When the daemon first scheduled the export: occurrences up to it are never made up.
        public var baseline: Date
        /// The scheduled time of the last run (whatever its outcome).
        public var lastScheduled: Date?
        public var finishedAt: Date?
        public var outcome: ExportOutcome?
        /// The snapshot directory of that run.
        public var directory: String?

        public init(baseline: Date, lastScheduled: Date? = nil, finishedAt: Date? = nil,
                    outcome: ExportOutcome? = nil, directory: String? = nil) {
            self.baseline = baseline
            self.lastScheduled = lastScheduled
            self.finishedAt = finishedAt
            self.outcome = outcome
            self.directory = directory
        }

        enum CodingKeys: String, CodingKey {
            case baseline, directory, outcome, error
            case lastScheduled = "last_scheduled", finishedAt = "finished_at"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            baseline = try Self.instant(c, .baseline)!
            lastScheduled = try Self.instant(c, .lastScheduled)
            finishedAt = try Self.instant(c, .finishedAt)
            directory = try c.decodeIfPresent(String.self, forKey: .directory)
            switch try c.decodeIfPresent(String.self, forKey: .outcome) {
            case nil: outcome = nil
            case "ok": outcome = .ok
            case "error": outcome = .error(try c.decodeIfPresent(String.self, forKey: .error) ?? "")
            case let other?:
                throw DecodingError.dataCorruptedError(forKey: .outcome, in: c, debugDescription: "unknown outcome \"\(other)\"")
            }
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(CivilTime.isoStamp(baseline), forKey: .baseline)
            try c.encodeIfPresent(lastScheduled.map(CivilTime.isoStamp), forKey: .lastScheduled)
            try c.encodeIfPresent(finishedAt.map(CivilTime.isoStamp), forKey: .finishedAt)
            try c.encodeIfPresent(directory, forKey: .directory)
            switch outcome {
            case nil: break
            case .ok: try c.encode("ok", forKey: .outcome)
            case .error(let message):
                try c.encode("error", forKey: .outcome)
                try c.encode(message, forKey: .error)
            }
        }

        /// Reads an instant (required when the key is `baseline`).
        private static func instant(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> Date? {
            let text = key == .baseline ? try c.decode(String.self, forKey: key) : try c.decodeIfPresent(String.self, forKey: key)
            guard let text else { return nil }
            guard let date = CivilTime.parseISOStamp(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\"\(text)\" is not an instant like 2021-12-31T02:00:00.000Z")
            }
            return date
        }
    }

    /// By export name.
    public var exports: [String: Record]

    public init(exports: [String: Record] = [:]) {
        self.exports = exports
    }

    enum CodingKeys: String, CodingKey { case version, exports }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let version = try c.decode(Int.self, forKey: .version)
        guard version <= Self.version else {
            throw DecodingError.dataCorruptedError(forKey: .version, in: c, debugDescription: "version \(version) is newer than this almanac reads (\(Self.version))")
        }
        exports = try c.decode([String: Record].self, forKey: .exports)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.version, forKey: .version)
        try c.encode(exports, forKey: .exports)
    }

    /// Reads the state file; a missing file is an empty state (the daemon's first start).
    ///
    /// - Throws: ``ScheduleStateError`` when the file exists but cannot be read or is not a state file.
    public static func load(path: String) throws(ScheduleStateError) -> ScheduleState {
        guard FileManager.default.fileExists(atPath: path) else { return ScheduleState() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScheduleStateError(path: path, reason: "cannot read the file")
        }
        guard data.count <= fileBytesMax else {
            throw ScheduleStateError(path: path, reason: "larger than \(fileBytesMax) bytes")
        }
        do {
            return try JSONDecoder().decode(ScheduleState.self, from: data)
        } catch let DecodingError.dataCorrupted(context) {
            throw ScheduleStateError(path: path, reason: "not a schedule state file: " + Self.explain(context))
        } catch let DecodingError.keyNotFound(key, context) {
            throw ScheduleStateError(path: path, reason: "not a schedule state file: missing \"\(key.stringValue)\"" + Self.at(context))
        } catch let DecodingError.typeMismatch(_, context) {
            throw ScheduleStateError(path: path, reason: "not a schedule state file: wrong type" + Self.at(context))
        } catch {
            throw ScheduleStateError(path: path, reason: "not a schedule state file: \(error)")
        }
    }

    /// Writes the state file atomically, creating its folder when missing.
    ///
    /// - Throws: ``ScheduleStateError`` when it cannot be written; the old file is then intact.
    public func save(path: String) throws(ScheduleStateError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty && !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw ScheduleStateError(path: path, reason: "cannot create the folder \(folder): \(error.localizedDescription)")
            }
            try Self.syncFolder(of: folder)
        }
        try Self.replace(path, with: encoded())
    }

    /// The file's bytes: pretty-printed, keys sorted, so that a diff of two states is readable.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and dictionaries of them cannot fail.
        return Array(try! encoder.encode(self)) + [0x0A]
    }

    private static func explain(_ context: DecodingError.Context) -> String {
        let underlying = (context.underlyingError as NSError?)?.localizedDescription
        return context.debugDescription + (underlying.map { " (\($0))" } ?? "") + at(context)
    }

    private static func at(_ context: DecodingError.Context) -> String {
        context.codingPath.isEmpty ? "" : " at " + context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}

/// A schedule state file that cannot be read or written.
public struct ScheduleStateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
