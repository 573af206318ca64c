import AlmanacQuery
import Testing

/// Two plans of one question: a query the compiler answers on a special path, and the same
/// query with a `where` on the rows that keeps every row (`where period >= 1900-01`, put
/// before the step named by `marker`), which takes the general path.
struct PathComparison {
    let engine: QueryEngine
    let query: String
    let general: String

    init?(_ engine: QueryEngine, _ query: String, before marker: String) {
        guard let at = query.range(of: marker) else { return nil }
        self.engine = engine
        self.query = query
        general = query.replacingCharacters(in: at, with: " | where period >= 1900-01" + marker)
    }

    /// Whether each plan's SQL contains `text` (the special path's mark).
    func sqlContains(_ text: String) throws -> (special: Bool, general: Bool) {
        (try engine.compile(query).sql.contains(text), try engine.compile(general).sql.contains(text))
    }

    /// Runs both; expects the same rows and warnings, and returns the special path's result.
    func expectSameAnswer(sourceLocation: SourceLocation = #_sourceLocation) throws -> QueryResult {
        let special = try engine.run(query, format: .csv), other = try engine.run(general, format: .csv)
        #expect(special.rows == other.rows, sourceLocation: sourceLocation)
        #expect(special.warnings == other.warnings, sourceLocation: sourceLocation)
        return special
    }
}
