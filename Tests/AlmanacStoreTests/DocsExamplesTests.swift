import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

/// The examples in docs/ are run: every ```csv accept block of the native CSV doc is
/// accepted, every ```csv reject block is rejected with exactly the lines of the ```text
/// block after it, and the catalogue doc's JSON defines what it says.
@Suite struct DocsExamplesTests {
    static let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs")

    /// Fenced blocks: (info string, body).
    static func blocks(_ file: String) throws -> [(info: String, body: String)] {
        try FencedBlocks.read(docs.appendingPathComponent(file))
    }

    @Test func nativeCSVExamples() throws {
        let t = try TestStore()
        let blocks = try Self.blocks("formats/native-csv.md")
        var accepted = 0, rejected = 0
        for (i, b) in blocks.enumerated() {
            if b.info == "csv accept" {
                let o = try t.ingest("example.csv", b.body)
                #expect(o.counts != nil, "example \(i) should be accepted: \(String(describing: o.rejectedIssues))")
                accepted += 1
            } else if b.info == "csv reject" {
                let expected = try #require(blocks.dropFirst(i + 1).first { $0.info == "text" }).body
                let o = try t.ingest("example.csv", b.body)
                let lines = try #require(o.rejectedIssues, "example \(i) should be rejected").map(\.text)
                #expect(lines.joined(separator: "\n") + "\n" == expected)
                rejected += 1
            }
        }
        #expect(accepted == 3 && rejected == 2)
    }

    @Test func catalogueExampleDefinesAnIndicator() throws {
        let t = try TestStore()
        let json = try #require(try Self.blocks("catalogue.md").first { $0.info == "json" }).body
        let path = t.file("defs.json", json)
        let r = try t.store.define(fromFile: path)
        #expect(r.indicators == 1)
        #expect(try t.store.catalogue().indicators.indicator(code: "budget.corporate_tax_share")?.unit == "percent")
        // Defining it again changes nothing.
        #expect(try t.store.define(fromFile: path).indicators == 0)
    }
}
