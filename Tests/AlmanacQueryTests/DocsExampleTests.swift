import AlmanacTesting
import AlmanacQuery
import Foundation
import Testing

/// The examples of `docs/query-language.md` run: every query in a ```` ```aq ```` block
/// (queries separated by blank lines, comments allowed) parses, checks and runs on
/// ``CumulativeDataset``; when a ```` ```text ```` block follows an `aq` block of one query,
/// it is that query's output there, exactly (the table, then its warnings).
/// `ALMANAC_RECORD_GOLDEN=1` rewrites those output blocks in the document; review the diff.
@Suite("docs/query-language.md examples")
struct DocsExampleTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/query-language.md")

    /// Fenced blocks: (info string, body).
    static func blocks() throws -> [(info: String, body: String)] {
        try FencedBlocks.read(document)
    }

    /// The queries of an `aq` block: runs of lines separated by blank lines.
    static func queries(_ body: String) -> [String] {
        body.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    @Test func everyQueryRuns() throws {
        let engine = try CumulativeDataset.engine()
        var count = 0
        for block in try Self.blocks() where block.info == "aq" {
            for query in Self.queries(block.body) {
                #expect(throws: Never.self, "\(query)") { _ = try engine.run(query) }
                count += 1
            }
        }
        #expect(count >= 10)
    }

    @Test func outputsAreExact() throws {
        let engine = try CumulativeDataset.engine()
        if Golden.recording { try Self.record(engine) }
        let blocks = try Self.blocks()
        var checked = 0
        for (index, block) in blocks.enumerated() where block.info == "aq" && index + 1 < blocks.count && blocks[index + 1].info == "text" {
            let queries = Self.queries(block.body)
            try #require(queries.count == 1, "an aq block followed by its output holds one query")
            let result = try engine.run(queries[0])
            let rendered = result.text + result.warnings.map { "warning: \($0)\n" }.joined()
            #expect(rendered == blocks[index + 1].body, "\(queries[0])")
            checked += 1
        }
        #expect(checked >= 3)
    }

    /// Rewrites the body of every ```` ```text ```` block that follows a one-query `aq` block.
    static func record(_ engine: QueryEngine) throws {
        let lines = try String(contentsOf: document, encoding: .utf8).components(separatedBy: "\n")
        var out: [String] = [], index = 0
        var lastQuery: String?
        while index < lines.count {
            let line = lines[index]
            out.append(line)
            index += 1
            guard line.hasPrefix("```") else { continue }
            var body: [String] = []
            while index < lines.count, !lines[index].hasPrefix("```") { body.append(lines[index]); index += 1 }
            if line == "```text", let query = lastQuery {
                let result = try engine.run(query)
                let rendered = result.text + result.warnings.map { "warning: \($0)\n" }.joined()
                out += rendered.components(separatedBy: "\n").dropLast()
            } else {
                out += body
            }
            let queries = line == "```aq" ? Self.queries(body.joined(separator: "\n") + "\n") : []
            lastQuery = queries.count == 1 ? queries[0] : nil
            if index < lines.count { out.append(lines[index]); index += 1 }
        }
        try out.joined(separator: "\n").write(to: document, atomically: true, encoding: .utf8)
    }
}
