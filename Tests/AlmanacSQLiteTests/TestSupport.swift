import Foundation
import Testing
@testable import AlmanacSQLite

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("almanac-sqlite-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `path/name`.
    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Runs the real `sqlite3` command-line shell on `file` and returns its standard output.
func runSQLite3(_ file: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [file, sql]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// The `SQLiteError` thrown by `body`, or a recorded failure and `nil` when none was.
func sqliteError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> SQLiteError? {
    do {
        try body()
        Issue.record("expected an SQLiteError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as SQLiteError {
        return error
    } catch {
        Issue.record("expected an SQLiteError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

extension Database {
    /// The single integer a query returns (test shorthand).
    func integer(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64? {
        if case .integer(let value)? = try firstValue(sql, arguments: arguments) { return value }
        return nil
    }
}
