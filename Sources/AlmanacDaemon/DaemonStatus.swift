import Foundation

/// The daemon's status file, `<store>/daemon/status.json`, rewritten atomically after every
/// file and every few seconds while idle; `almanac status` shows it. Counts survive restarts.
public struct DaemonStatus: Codable, Sendable, Equatable {
    public struct Files: Codable, Sendable, Equatable {
        public var accepted = 0, duplicate = 0, rejected = 0, failed = 0
        public var total: Int { accepted + duplicate + rejected + failed }
        public init() {}
    }

    public struct Observations: Codable, Sendable, Equatable {
        public var reported = 0, revised = 0, unchanged = 0, retracted = 0
        public init() {}
    }

    public struct LastFile: Codable, Sendable, Equatable {
        public var agency: String
        public var name: String
        public var outcome: String
        public var at: String
        public var claim: String
        public var submission: UInt64?
    }

    public struct LastError: Codable, Sendable, Equatable {
        public var at: String
        public var message: String
    }

    public struct ExportRun: Codable, Sendable, Equatable {
        public var name: String
        public var lastRun: String?
        public var outcome: String?
        public var directory: String?
        public var next: String?

        enum CodingKeys: String, CodingKey { case name, outcome, directory, next, lastRun = "last_run" }
    }

    public var pid: Int32 = 0
    /// running | stopped
    public var state = "stopped"
    public var inbox = ""
    public var startedAt: String?
    public var updatedAt: String?
    /// inotify, or poll when inotify is not available.
    public var watching = "poll"
    public var files = Files()
    public var observations = Observations()
    public var lastFile: LastFile?
    /// The claim whose outcome is counted last (a claim finished twice after a crash is counted once).
    public var lastClaim: String?
    /// Files in the inbox not yet taken, and the age in seconds of the oldest.
    public var pending = 0
    public var lagSeconds = 0.0
    public var lastError: LastError?
    public var exports: [ExportRun] = []

    public init() {}

    enum CodingKeys: String, CodingKey {
        case pid, state, inbox, watching, files, observations, pending, exports
        case startedAt = "started_at", updatedAt = "updated_at", lastFile = "last_file", lastClaim = "last_claim"
        case lagSeconds = "lag_seconds", lastError = "last_error"
    }

    /// The status file of the store at `storePath`, if a daemon ever ran there.
    public static func load(storePath: String) -> DaemonStatus? {
        guard let data = FileManager.default.contents(atPath: path(storePath: storePath)) else { return nil }
        return try? JSONDecoder().decode(DaemonStatus.self, from: data)
    }

    public static func path(storePath: String) -> String { storePath + "/daemon/status.json" }

    func write(storePath: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Rewritten after every file: whole for readers and across kills, not forced to disk
        // (after a power cut the counters may lag by the last few files; the log is the record).
        try AtomicFile.write(Array(try encoder.encode(self)) + [0x0A], to: DaemonStatus.path(storePath: storePath), durable: false)
    }

    /// Whether the recorded process is still alive.
    public var isRunning: Bool { state == "running" && pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) }
}
