import CSQLite

/// The authorizer of a read-only query connection: allows reading, denies everything else.
///
/// Installed by `Database.restrictToReadOnlyQueries(allowedPragmas:)`. SQLite consults it
/// while compiling each statement (and when VACUUM INTO attaches its output file):
/// SELECT, reading columns, recursive CTEs, functions other than a few dangerous ones,
/// BEGIN/COMMIT and savepoints are allowed; ATTACH, DETACH, every write and every DDL
/// statement, and every PRAGMA except the read-only ones listed are denied. The reason for
/// the latest denial is kept so the error says what was refused instead of SQLite's
/// terse "not authorized".
///
/// The C callback reaches this object through an unretained pointer; the `Database`
/// holds the strong reference for as long as the callback is installed.
final class QueryAuthorizer {
    /// Pragmas allowed only in their reading form (no `= value`, no argument).
    let readOnlyPragmas: Set<String>
    /// Pragmas whose argument names what to read, such as `table_info(t)`.
    let pragmasReadingArgument: Set<String>
    /// The reason for the latest denial, until an error takes it.
    private var denial: String?

    /// SQL functions that reach outside the database.
    static let deniedFunctions: Set<String> = ["load_extension", "fts3_tokenizer", "readfile", "writefile", "edit"]

    init(readOnlyPragmas: Set<String>, pragmasReadingArgument: Set<String>) {
        self.readOnlyPragmas = readOnlyPragmas
        self.pragmasReadingArgument = pragmasReadingArgument
    }

    func clearDenial() { denial = nil }

    /// The reason for the latest denial, once.
    func takeDenial() -> String? {
        defer { denial = nil }
        return denial
    }

    /// SQLITE_OK or SQLITE_DENY for one action (arguments as in `sqlite3_set_authorizer`).
    func decide(_ action: Int32, _ first: String?, _ second: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE, SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return SQLITE_OK
        case SQLITE_FUNCTION:
            guard let name = second?.lowercased(), Self.deniedFunctions.contains(name) else { return SQLITE_OK }
            return deny("function \(name)()")
        case SQLITE_PRAGMA:
            let name = first?.lowercased() ?? ""
            if readOnlyPragmas.contains(name) && second == nil { return SQLITE_OK }
            if pragmasReadingArgument.contains(name) { return SQLITE_OK }
            return deny(second.map { "PRAGMA \(name) = \($0)" } ?? "PRAGMA \(name)")
        case SQLITE_ATTACH:
            return deny("ATTACH")
        case SQLITE_DETACH:
            return deny("DETACH")
        default:
            return deny(Self.describe(action, first, second))
        }
    }

    private func deny(_ what: String) -> Int32 {
        denial = "not allowed on a read-only query connection: \(what)"
        return SQLITE_DENY
    }

    /// The schema tables: CREATE, DROP and ALTER are first authorised as writes to them.
    private static let schemaTables: Set<String> = [
        "sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema",
    ]

    /// A short name for a denied write or DDL action.
    private static func describe(_ action: Int32, _ object: String?, _ detail: String?) -> String {
        if action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE,
           let object, schemaTables.contains(object.lowercased()) {
            return "schema change (CREATE, DROP or ALTER)"
        }
        if action == SQLITE_ALTER_TABLE {
            return "ALTER TABLE \(detail ?? "")"  // `object` is the schema name here
        }
        let verb: String = switch action {
        case SQLITE_INSERT: "INSERT into"
        case SQLITE_UPDATE: "UPDATE of"
        case SQLITE_DELETE: "DELETE from"
        case SQLITE_CREATE_TABLE, SQLITE_CREATE_TEMP_TABLE: "CREATE TABLE"
        case SQLITE_CREATE_INDEX, SQLITE_CREATE_TEMP_INDEX: "CREATE INDEX"
        case SQLITE_CREATE_VIEW, SQLITE_CREATE_TEMP_VIEW: "CREATE VIEW"
        case SQLITE_CREATE_TRIGGER, SQLITE_CREATE_TEMP_TRIGGER: "CREATE TRIGGER"
        case SQLITE_CREATE_VTABLE: "CREATE VIRTUAL TABLE"
        case SQLITE_DROP_TABLE, SQLITE_DROP_TEMP_TABLE: "DROP TABLE"
        case SQLITE_DROP_INDEX, SQLITE_DROP_TEMP_INDEX: "DROP INDEX"
        case SQLITE_DROP_VIEW, SQLITE_DROP_TEMP_VIEW: "DROP VIEW"
        case SQLITE_DROP_TRIGGER, SQLITE_DROP_TEMP_TRIGGER: "DROP TRIGGER"
        case SQLITE_DROP_VTABLE: "DROP VIRTUAL TABLE"
        case SQLITE_REINDEX: "REINDEX"
        case SQLITE_ANALYZE: "ANALYZE"
        default: "action \(action) on"
        }
        return object.map { "\(verb) \($0)" } ?? verb
    }
}

extension Database {
    /// Pragmas a query connection may read (never set): schema version, sizes, settings.
    public static let readOnlyPragmas: Set<String> = [
        "application_id", "collation_list", "data_version", "database_list", "encoding",
        "foreign_keys", "freelist_count", "function_list", "journal_mode", "module_list",
        "page_count", "page_size", "pragma_list", "query_only", "schema_version",
        "synchronous", "user_version",
    ]

    /// Pragmas whose argument names a table or index to describe.
    public static let schemaPragmas: Set<String> = [
        "foreign_key_list", "index_info", "index_list", "index_xinfo", "table_info", "table_xinfo",
    ]

    /// Makes this connection fit for running untrusted, read-only queries.
    ///
    /// Sets `PRAGMA query_only = 1` and `trusted_schema = OFF`, disables extension
    /// loading, and installs an authorizer (see `QueryAuthorizer`) that denies ATTACH,
    /// DETACH (and so VACUUM INTO), writes, DDL, `load_extension()` and every PRAGMA except
    /// reading those in `allowedPragmas` and `schemaPragmas`. Pair with a connection opened
    /// with `Options.readOnlyQueries`, `applyQueryRuntimeLimits()` and `QueryLimits`.
    ///
    /// The restriction cannot be lifted: `query_only` can only be changed by a PRAGMA,
    /// which the authorizer denies. Open another connection to write.
    /// Calling it again has no effect (the first pragma list stays).
    public func restrictToReadOnlyQueries(allowedPragmas: Set<String> = Database.readOnlyPragmas) throws {
        guard authorizer == nil else { return }
        sqlite3_enable_load_extension(handle, 0)
        try execute("PRAGMA query_only = 1; PRAGMA trusted_schema = OFF")
        let authorizer = QueryAuthorizer(readOnlyPragmas: allowedPragmas, pragmasReadingArgument: Database.schemaPragmas)
        self.authorizer = authorizer
        let rc = sqlite3_set_authorizer(handle, { context, action, first, second, _, _ in
            guard let context else { return SQLITE_DENY }
            let authorizer = Unmanaged<QueryAuthorizer>.fromOpaque(context).takeUnretainedValue()
            return authorizer.decide(action, first.map { String(cString: $0) }, second.map { String(cString: $0) })
        }, Unmanaged.passUnretained(authorizer).toOpaque())
        guard rc == SQLITE_OK else { throw error(rc, sql: nil) }
    }
}
