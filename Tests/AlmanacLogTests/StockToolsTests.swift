import AlmanacLog
import AlmanacTesting
import Foundation
import Testing

/// The stock `zstd` tools read what Almanac writes: `zstd -t` passes on every segment and
/// `zstdcat` prints exactly the events, as many as the log's own statistics count.
@Suite struct StockToolsTests {
    @Test func zstdTestsAndPrintsEverySegment() throws {
        let zstd = try #require(Executables.which("zstd"), "the zstd command is required (tools/test installs it)")
        let store = TemporaryDirectory()
        let dir = (path: store.path + "/log", unused: 0)
        let w = try LogWriter(path: dir.path, options: testOptions(segmentBytes: 16 * 1024))
        try fill(w, batches: 60, perBatch: 9, size: 120)
        try w.close()
        let segments = segmentFiles(dir.path)
        #expect(segments.count > 3)
        let test = try Executables.run(zstd, ["-t", "-q"] + segments)
        #expect(test.status == 0, "zstd -t: \(test.stderr)")
        let cat = try Executables.run(zstd, ["-d", "-c", "-q"] + segments)
        #expect(cat.status == 0)
        let lines = cat.stdout.split(separator: "\n")
        let report = try LogInspector.verify(path: dir.path)
        #expect(UInt64(lines.count) == report.events)
        #expect(lines.count == 540)
        #expect(lines.map(String.init) == (try readAll(dir.path)).map(\.line))
        // `almanac log stats` counts the same events, and `log dump` prints the same lines.
        let almanac = Executables.path("almanac")
        try #require(FileManager.default.isExecutableFile(atPath: almanac), "build almanac first")
        let stats = try Executables.run(almanac, ["log", "stats", "--json", "--store", store.path])
        #expect(stats.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any]
        #expect(json?["events"] as? Int == lines.count)
        let dump = try Executables.run(almanac, ["log", "dump", "--store", store.path])
        #expect(dump.stdout == cat.stdout)
        let tail = try Executables.run(almanac, ["log", "dump", "--from", "530", "--limit", "3", "--store", store.path])
        #expect(tail.stdout.split(separator: "\n").map(String.init) == lines[529..<532].map(String.init))
    }
}
