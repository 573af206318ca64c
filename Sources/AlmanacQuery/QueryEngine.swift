import AlmanacSQLite

/// The query language over a store's read model: text in, rows out.
///
/// ```swift
/// let engine = try QueryEngine(readModelPath: "almanac-data/read-model.sqlite")
/// let result = try engine.run("from gdp.grdp_growth | where region = \"Thai Nguyen\" | during 2021-H1",
///                             format: .table)
/// print(result.text)
/// ```
///
/// The engine owns one connection, made fit for untrusted queries when the engine is
/// created: read-only (`query_only`), an authorizer that allows nothing but reading,
/// extension loading off, SQLite's size limits lowered, and every statement run under
/// `QueryLimits` (by default 10 s and 1,000,000 rows). The catalogue is read once, at
/// creation; create a new engine to see indicators or regions defined since.
///
/// Errors: ``QueryError`` for a query that does not lex, parse, check or compile (render
/// it with ``QueryError/rendered(in:)`` for a caret under the offending text), and
/// ``QueryRuntimeError`` (one line) for everything that happens while running it.
///
/// Not `Sendable`: use an engine from one thread at a time, one engine per reader.
public final class QueryEngine {
    /// The restricted connection.
    public let database: Database
    /// The catalogue queries are checked against.
    public let catalogue: ReadModelCatalogue
    /// The statements of the last queries run, kept prepared (see ``StatementCache``).
    public let statements: StatementCache

    /// Opens the read model at `path` read-only, keeping the statements of the last
    /// `statementCacheCapacity` queries prepared (0 prepares every query anew).
    ///
    /// - Throws: ``QueryRuntimeError`` when the file cannot be opened or its catalogue read.
    public convenience init(readModelPath path: String, statementCacheCapacity: Int = 32) throws {
        let database: Database
        do {
            database = try Database(path: path, options: .readOnlyQueries)
        } catch let error as SQLiteError {
            throw QueryRuntimeError("cannot open the read model: \(error.message)", underlying: error)
        }
        try self.init(database: database, statementCacheCapacity: statementCacheCapacity)
    }

    /// Uses an open connection, which the engine restricts to reading for good (the
    /// restriction cannot be lifted; give the engine a connection of its own), keeping the
    /// statements of the last `statementCacheCapacity` queries prepared.
    ///
    /// - Throws: ``QueryRuntimeError`` when the connection cannot be restricted or the
    ///   catalogue cannot be read.
    public init(database: Database, statementCacheCapacity: Int = 32) throws {
        self.database = database
        statements = StatementCache(capacity: statementCacheCapacity)
        do {
            try database.restrictToReadOnlyQueries()
            database.applyQueryRuntimeLimits()
            catalogue = try ReadModelCatalogue(database: database)
        } catch let error as SQLiteError {
            throw QueryRuntimeError("cannot read the catalogue of the read model: \(error.message)", underlying: error)
        }
    }

    /// Parses, checks and compiles a query; runs the discovery of a `pivot period` under `limits`.
    ///
    /// - Throws: ``QueryError`` or ``QueryRuntimeError``.
    public func compile(_ text: String, limits: QueryLimits = QueryLimits()) throws -> CompiledQuery {
        let query = try Query.parse(text)
        let checked = try Checker(catalogue: catalogue).check(query)
        let executor = QueryExecutor(database: database)
        return try QueryCompiler(catalogue: catalogue).compile(checked) { discovery in
            try executor.discover(discovery, limits: limits)
        }
    }

    /// Runs a query.
    ///
    /// - Parameters:
    ///   - text: The query, one line or several, comments allowed.
    ///   - format: How ``QueryResult/text`` renders the rows.
    ///   - limits: The time and row limits of each statement.
    /// - Returns: Columns, rows, warnings and the rendered text.
    /// - Throws: ``QueryError`` or ``QueryRuntimeError``.
    public func run(_ text: String, format: OutputFormat = .table, limits: QueryLimits = QueryLimits()) throws -> QueryResult {
        let compiled = try compile(text, limits: limits)
        return try QueryExecutor(database: database, statements: statements).execute(compiled, format: format, limits: limits)
    }

    /// What `--explain` shows: the SQL a query compiles to and its parameters.
    ///
    /// - Throws: ``QueryError`` or ``QueryRuntimeError``.
    public func explain(_ text: String, limits: QueryLimits = QueryLimits()) throws -> String {
        try compile(text, limits: limits).explanation
    }
}
