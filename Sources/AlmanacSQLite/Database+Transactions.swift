import CSQLite

/// Transactions and savepoints.
extension Database {
    /// How a transaction takes its locks (`BEGIN DEFERRED | IMMEDIATE | EXCLUSIVE`).
    public enum TransactionKind: String, Sendable, Hashable {
        /// Take locks when first needed; a read that later writes may fail with SQLITE_BUSY.
        case deferred = "DEFERRED"
        /// Take the write lock at BEGIN, waiting up to the busy timeout. The default for
        /// writers: a busy error can only happen at BEGIN, never half-way.
        case immediate = "IMMEDIATE"
        /// Like `immediate`; in WAL mode it also keeps readers of other processes out.
        case exclusive = "EXCLUSIVE"
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws.
    ///
    /// - Parameters:
    ///   - kind: The locking mode; `.immediate` unless you know better.
    ///   - body: The work; it must not open a transaction itself (use `savepoint` to nest).
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (after rolling back), or the `SQLiteError` of BEGIN or
    ///   COMMIT. A failed COMMIT is rolled back before the error is thrown, so the
    ///   connection is never left inside a transaction.
    public func transaction<Result>(
        _ kind: TransactionKind = .immediate, _ body: () throws -> Result
    ) throws -> Result {
        precondition(!isInTransaction, "transaction(_:) does not nest; use savepoint(_:_:)")
        try execute("BEGIN \(kind.rawValue) TRANSACTION")
        let result: Result
        do {
            result = try body()
            try execute("COMMIT TRANSACTION")
        } catch {
            rollbackIfNeeded()
            throw error
        }
        return result
    }

    /// Runs `body` inside `SAVEPOINT name`: RELEASE when it returns, ROLLBACK TO and
    /// RELEASE when it throws. Savepoints nest, inside or outside a transaction.
    ///
    /// - Parameters:
    ///   - name: The savepoint's name; quoted as an identifier, so any text is safe.
    ///   - body: The work.
    /// - Throws: What `body` throws (after undoing its changes), or a `SQLiteError`.
    public func savepoint<Result>(_ name: String = "almanac", _ body: () throws -> Result) throws -> Result {
        let quoted = Database.quoteIdentifier(name)
        try execute("SAVEPOINT \(quoted)")
        let result: Result
        do {
            result = try body()
            try execute("RELEASE SAVEPOINT \(quoted)")
        } catch {
            // SQLite may already have rolled back the whole transaction (for example after
            // SQLITE_FULL); then the savepoint no longer exists and there is nothing to undo.
            if isInTransaction {
                try? execute("ROLLBACK TRANSACTION TO SAVEPOINT \(quoted)")
                try? execute("RELEASE SAVEPOINT \(quoted)")
            }
            throw error
        }
        return result
    }

    /// Rolls back the open transaction, if SQLite has not already done so.
    ///
    /// The ROLLBACK's own error is dropped: the error that caused it is the one to report.
    private func rollbackIfNeeded() {
        guard isInTransaction else { return }
        try? execute("ROLLBACK TRANSACTION")
    }

    /// `identifier` as a double-quoted SQL identifier, with inner quotes doubled.
    ///
    /// - Precondition: `identifier` contains no NUL character.
    public static func quoteIdentifier(_ identifier: String) -> String {
        precondition(!identifier.utf8.contains(0), "identifier contains NUL")
        return "\"" + identifier.replacingAll("\"", with: "\"\"") + "\""
    }
}
