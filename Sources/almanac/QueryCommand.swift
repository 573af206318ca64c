import AlmanacQuery
import AlmanacSQLite
import AlmanacStore
import ArgumentParser
import Foundation

/// `almanac query '<q>'` and `almanac query -f FILE.aq`: one analyst question.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a query in the pipeline language (see docs/query-language.md).",
        discussion: """
            Example: almanac query 'from gdp.grdp_growth | where region = "Thai Nguyen" | during 2021-H1'
            Exit status 1 on a query error (shown with line, column and a caret), 2 on a usage error.
            """)
    @OptionGroup var options: StoreOptions
    @Argument(help: "The query text.") var text: String?
    @Option(name: .customShort("f"), help: "Read the query from a file (.aq).") var file: String?
    @Option(help: "Output: table, csv or json.") var format: String = "table"
    @Flag(help: "Print the SQL and its parameters instead of running the query.") var explain = false
    @Option(name: .customLong("time-limit"), help: "Stop the query after this many seconds.") var timeLimit: Double = 10
    @Option(name: .customLong("row-limit"), help: "Stop the query after this many rows.") var rowLimit: Int = 1_000_000

    func validate() throws {
        if (text == nil) == (file == nil) { throw ValidationError("give the query text or -f FILE, not both") }
        if OutputFormat(rawValue: format) == nil { throw ValidationError("unknown format '\(format)' (table, csv or json)") }
        if timeLimit <= 0 || rowLimit <= 0 { throw ValidationError("limits must be positive") }
    }

    func run() throws {
        let source: String
        if let file {
            guard let data = FileManager.default.contents(atPath: file) else { throw CommandFailure(message: "cannot read \(file)") }
            source = String(decoding: data, as: UTF8.self)
        } else {
            source = text ?? ""
        }
        let session = try QuerySession(store: options.open())
        let limits = QueryLimits(timeLimit: .milliseconds(Int64(timeLimit * 1000)), rowLimit: rowLimit)
        try session.runPrinting(source, format: OutputFormat(rawValue: format)!, explain: explain, limits: limits)
    }
}

/// A query engine on a caught-up store, and how errors and warnings are shown.
final class QuerySession {
    let engine: QueryEngine

    init(store: Store) throws {
        // Every command that reads catches the read model up first (this needs a write
        // connection); the query itself then runs on a separate read-only connection.
        let (_, _) = try store.readModel.openCaughtUp()
        guard let path = store.readModel.current()?.path else { throw CommandFailure(message: "the store has no read model") }
        engine = try QueryEngine(readModelPath: path)
    }

    /// Runs `source` and prints the result; a query error is printed with its caret and
    /// turned into exit status 1.
    func runPrinting(_ source: String, format: OutputFormat, explain: Bool, limits: QueryLimits) throws {
        do {
            if explain {
                print(try engine.explain(source, limits: limits))
                return
            }
            let result = try engine.run(source, format: format, limits: limits)
            for w in result.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
            print(result.text, terminator: result.text.hasSuffix("\n") ? "" : "\n")
        } catch let e as QueryError {
            FileHandle.standardError.write(Data((e.rendered(in: source) + "\n").utf8))
            throw ExitCode(1)
        } catch let e as QueryRuntimeError {
            throw CommandFailure(message: e.message)
        }
    }
}
