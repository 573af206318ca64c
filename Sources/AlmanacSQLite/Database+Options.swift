/// How `Database` opens and configures a connection.
extension Database {
    /// Connection settings applied once, when the connection opens.
    ///
    /// Every setting that matters for durability is set explicitly rather than left to the
    /// compile-time defaults of whatever SQLite the machine has: `synchronous` and
    /// `foreign_keys` are always issued, and `journal_mode` is checked after it is set.
    public struct Options: Sendable, Hashable {
        /// Open with `SQLITE_OPEN_READONLY` and set `PRAGMA query_only = 1`.
        ///
        /// A read-only connection never changes the journal mode (WAL is a property of the
        /// file, set by the writer); `journalMode` is ignored.
        public var readOnly: Bool
        /// Create the file if it does not exist (ignored when `readOnly`).
        public var create: Bool
        /// The journal mode to set; `nil` leaves the file's mode alone.
        public var journalMode: JournalMode?
        /// `PRAGMA synchronous`, always set.
        public var synchronous: Synchronous
        /// How long to wait for another connection's lock before failing with SQLITE_BUSY.
        public var busyTimeout: Duration
        /// `PRAGMA foreign_keys`, always set.
        public var foreignKeys: Bool

        /// Creates options; the defaults suit a read model written by one process: create
        /// the file, WAL, `synchronous = NORMAL` (durable at each checkpoint, never corrupt),
        /// a 5 s busy timeout and foreign keys on.
        public init(
            readOnly: Bool = false,
            create: Bool = true,
            journalMode: JournalMode? = .wal,
            synchronous: Synchronous = .normal,
            busyTimeout: Duration = .seconds(5),
            foreignKeys: Bool = true
        ) {
            self.readOnly = readOnly
            self.create = create
            self.journalMode = journalMode
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
            self.foreignKeys = foreignKeys
        }

        /// `busyTimeout` in whole milliseconds, as `sqlite3_busy_timeout` takes it.
        var busyTimeoutMilliseconds: Int32 {
            let (seconds, attoseconds) = busyTimeout.components
            return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }

        /// Read-only connection for running analysts' queries: no create, no journal change.
        ///
        /// Pair with `Database.restrictToReadOnlyQueries()` and `QueryLimits`.
        public static let readOnlyQueries = Options(readOnly: true, create: false, journalMode: nil)
    }

    /// Values of `PRAGMA journal_mode`.
    public enum JournalMode: String, Sendable, Hashable, CaseIterable {
        case wal, delete, truncate, persist, memory, off
    }

    /// Values of `PRAGMA synchronous`.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// No fsync: fastest, and a power loss can corrupt the file. Only for scratch files.
        case off
        /// In WAL mode: fsync at checkpoints. A power loss may lose the last transactions,
        /// never consistency.
        case normal
        /// fsync at every commit.
        case full
        /// Like `full`, plus an fsync of the directory in rollback-journal modes.
        case extra

        /// The integer `PRAGMA synchronous` reports for this level.
        public var pragmaValue: Int {
            switch self {
            case .off: 0
            case .normal: 1
            case .full: 2
            case .extra: 3
            }
        }
    }
}
