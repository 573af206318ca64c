import AlmanacQuery
import Testing

/// Every example of QUERY.md runs on ``Dataset`` and its output is kept as a golden file
/// (`Golden/results/<name>.txt`: the table, then the warnings).
@Suite("QUERY.md examples on the data set")
struct ExampleResultTests {
    static func run(_ name: String, format: OutputFormat = .table) throws -> QueryResult {
        let text = exampleQueries.first { $0.name == name }!.text
        return try Dataset.engine().run(text, format: format)
    }

    static func rendered(_ result: QueryResult) -> String {
        result.text + result.warnings.map { "warning: \($0)\n" }.joined()
    }

    @Test("every example runs and matches its golden output", arguments: exampleQueries.map(\.name))
    func golden(name: String) throws {
        let result = try Self.run(name)
        #expect(!result.rows.isEmpty)
        Golden.check(Self.rendered(result), against: "results/\(name).txt")
    }
}
