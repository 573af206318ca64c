import AlmanacTesting
import Foundation
import Testing
@testable import AlmanacDaemon

/// docs/daemon-config.md is run: its full example parses to what it says, and each
/// ```toml error block gives exactly the message in the ```text block after it.
@Suite struct ConfigDocsTests {
    static let doc = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/daemon-config.md")

    /// Fenced blocks: (info string, body).
    static func blocks() throws -> [(info: String, body: String)] {
        try FencedBlocks.read(doc)
    }

    @Test func fullExampleParses() throws {
        let example = try #require(try Self.blocks().first { $0.info == "toml" })
        let c = try DaemonConfiguration(toml: example.body, file: "/etc/almanac/daemon.toml")
        #expect(c.settleSeconds == 2)
        #expect(c.pollSeconds == 5)
        #expect(c.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(c.exports.map(\.name) == ["nightly-csv", "weekly-sqlite", "grdp-quarterly"])
        #expect(c.exports.map(\.format) == [.csv, .sqlite, .sdmxCSV])
        #expect(c.exports.map(\.out) == ["/srv/almanac/exports", "/etc/almanac/exports", "/srv/almanac/exports"])
        #expect(c.exports.map(\.keep) == [7, 4, 8])
        #expect(c.exports[0].query == "from cpi.cpi | during 2021")
        #expect(c.exports[2].query == "from gdp.grdp_growth | where region = \"Thai Nguyen\"")
        #expect(c.exports.map(\.asOf) == ["2021-07-12", nil, "2021-07-12"])
        #expect(c.exports.map(\.cron.text) == ["0 2 * * *", "30 3 * * sun", "0 6 1 jan,apr,jul,oct *"])
        // The stamp the example's comment shows.
        let run = DueExport(export: c.exports[0], scheduled: Date(timeIntervalSince1970: 1_640_916_000), madeUp: false)
        #expect(run.directory == "/srv/almanac/exports/nightly-csv-20211231T020000Z")
    }

    @Test func documentedErrorsAreExact() throws {
        let blocks = try Self.blocks()
        var checked = 0
        for (i, block) in blocks.enumerated() where block.info == "toml error" {
            let expected = try #require(blocks.dropFirst(i + 1).first { $0.info == "text" }).body
            do throws(DaemonConfigurationError) {
                _ = try DaemonConfiguration(toml: block.body, file: "daemon.toml")
                Issue.record("example \(checked + 1) was accepted")
            } catch {
                #expect(error.description + "\n" == expected)
            }
            checked += 1
        }
        #expect(checked == 6)
    }
}
