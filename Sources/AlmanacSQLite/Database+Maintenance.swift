import CSQLite

/// Schema version, integrity, copies of the database, and attached files.
extension Database {
    /// `PRAGMA user_version`: the schema version the application stored in the file header.
    public func userVersion() throws -> Int32 {
        guard case .integer(let version)? = try firstValue("PRAGMA user_version") else { return 0 }
        return Int32(truncatingIfNeeded: version)
    }

    /// Sets `PRAGMA user_version` (transactional: it commits or rolls back with the
    /// surrounding transaction).
    public func setUserVersion(_ version: Int32) throws {
        try execute("PRAGMA user_version = \(version)")
    }

    /// The journal mode in effect, lower-case (`"wal"`, `"delete"`, `"memory"`, …).
    public func journalMode() throws -> String {
        guard case .text(let mode)? = try firstValue("PRAGMA journal_mode") else { return "" }
        return mode.lowercased()
    }

    /// Runs `PRAGMA integrity_check` and returns its lines: `["ok"]` for a sound file.
    ///
    /// - Parameter maxErrors: Stop after this many problems (SQLite's default is 100).
    public func integrityCheck(maxErrors: Int = 100) throws -> [String] {
        try rows("PRAGMA integrity_check(\(max(1, maxErrors)))").map { row in
            if case .text(let line)? = row.first { return line }
            return row.first?.description ?? ""
        }
    }

    /// Writes a compacted, consistent copy of the main database to `path` (`VACUUM INTO`).
    ///
    /// The path is bound as a parameter, never spliced into SQL. The copy is in rollback
    /// journal mode whatever the source's mode.
    /// - Throws: `SQLiteError` when `path` already exists and is not empty, or on I/O errors.
    public func vacuumInto(_ path: String) throws {
        try execute("VACUUM INTO ?", arguments: [.text(path)])
    }

    /// Copies the whole main database to the file at `path` with the online backup API,
    /// replacing that file's content.
    ///
    /// Other connections may keep writing to the source; SQLite restarts the copy when they
    /// do, so the result is a consistent snapshot.
    /// - Parameter pagesPerStep: Pages copied per `sqlite3_backup_step`; -1 copies all at once.
    public func backup(to path: String, pagesPerStep: Int = -1) throws {
        let destination = try Database(
            path: path, options: Options(journalMode: nil, synchronous: .full, foreignKeys: false))
        try backup(to: destination, pagesPerStep: pagesPerStep)
    }

    /// Copies the whole main database into `destination`'s main database (online backup).
    ///
    /// When another connection holds a lock, the copy waits in 10 ms steps for at most the
    /// busy timeout of this connection, then throws `SQLITE_BUSY`.
    public func backup(to destination: Database, pagesPerStep: Int = -1) throws {
        guard let backup = sqlite3_backup_init(destination.handle, "main", handle, "main") else {
            throw destination.error(sqlite3_errcode(destination.handle), sql: nil)
        }
        let waitStepMs: Int32 = 10
        var waitsLeft = max(1, options.busyTimeoutMilliseconds / waitStepMs)
        var rc: Int32
        repeat {
            rc = sqlite3_backup_step(backup, Int32(clamping: pagesPerStep))
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED {
                waitsLeft -= 1
                if waitsLeft == 0 { break }
                sqlite3_sleep(waitStepMs)
            }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let finished = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE else {
            throw SQLiteError(
                resultCode: rc, message: "backup to \(destination.path) failed: \(String(cString: sqlite3_errstr(rc)))")
        }
        guard finished == SQLITE_OK else {
            throw destination.error(finished, sql: nil)
        }
    }

    /// Attaches the database file at `path` under the schema name `name`.
    ///
    /// Both the path and the name are bound as parameters (`ATTACH ? AS ?`).
    public func attach(_ path: String, as name: String) throws {
        try execute("ATTACH DATABASE ? AS ?", arguments: [.text(path), .text(name)])
    }

    /// Detaches the schema `name` (bound as a parameter).
    public func detach(_ name: String) throws {
        try execute("DETACH DATABASE ?", arguments: [.text(name)])
    }

    /// Checkpoints the WAL into the database file (`sqlite3_wal_checkpoint_v2`).
    ///
    /// - Parameter truncate: Use `SQLITE_CHECKPOINT_TRUNCATE` (wait for readers, then empty
    ///   the WAL file) instead of `PASSIVE` (copy what can be copied without waiting).
    /// - Returns: The frames in the WAL and how many were checkpointed.
    @discardableResult
    public func checkpoint(truncate: Bool = false) throws -> (walFrames: Int, checkpointed: Int) {
        var logFrames: Int32 = 0
        var done: Int32 = 0
        let mode = truncate ? SQLITE_CHECKPOINT_TRUNCATE : SQLITE_CHECKPOINT_PASSIVE
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, mode, &logFrames, &done)
        guard rc == SQLITE_OK else { throw error(rc, sql: nil) }
        return (Int(logFrames), Int(done))
    }
}
