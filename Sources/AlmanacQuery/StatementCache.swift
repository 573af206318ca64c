import AlmanacSQLite

/// Prepared statements of recent queries, by their SQL text, so a query run again (a
/// dashboard's refresh, a query repeated in `almanac repl`) is not compiled by SQLite again:
/// planning a pipeline of many steps takes SQLite a few milliseconds, often longer than
/// running it. At most `capacity` statements are kept; the least recently used goes first.
///
/// A statement is reset after each use (``QueryExecutor`` runs it through
/// `Statement.forEachRow`) and its parameters are bound again on the next. SQLite prepares a
/// statement again by itself when the schema changed, and asks the authorizer again then.
///
/// Not `Sendable`: it belongs to one connection, used from one thread at a time.
public final class StatementCache {
    /// How many statements are kept; 0 keeps none.
    public let capacity: Int
    private var statements: [String: Statement] = [:]
    /// SQL texts, least recently used first.
    private var order: [String] = []

    /// An empty cache of at most `capacity` statements.
    public init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// How many statements are kept now.
    public var count: Int { statements.count }

    /// The prepared statement for `sql` on `database`: the cached one, or one prepared now
    /// (and kept, unless the capacity is 0).
    ///
    /// - Throws: `SQLiteError` when `sql` does not prepare.
    public func statement(_ sql: String, on database: Database) throws -> Statement {
        if let statement = statements[sql] {
            if let index = order.lastIndex(of: sql) { order.remove(at: index) }
            order.append(sql)
            return statement
        }
        let statement = try database.prepare(sql, persistent: capacity > 0)
        guard capacity > 0 else { return statement }
        if statements.count >= capacity, !order.isEmpty { statements[order.removeFirst()] = nil }
        statements[sql] = statement
        order.append(sql)
        return statement
    }
}
