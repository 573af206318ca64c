import AlmanacLog
import AlmanacTesting
import Foundation
import Testing

/// Golden segments under `events/golden/`: logs written by earlier versions of Almanac,
/// with the events they hold as `expected.jsonl`. Every later version must read them.
///
/// To record a new version's golden log (only on purpose, when the format changes):
/// `ALMANAC_RECORD_GOLDEN=v2 swift test --filter GoldenSegmentTests`.
@Suite struct GoldenSegmentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("events/golden")

    @Test func goldenLogsStillDecode() throws {
        if let version = ProcessInfo.processInfo.environment["ALMANAC_RECORD_GOLDEN"] { try Self.record(version) }
        let versions = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).sorted()
        #expect(versions.contains("v1"))
        for v in versions {
            let dir = Self.root.appendingPathComponent(v)
            let expected = try String(contentsOf: dir.appendingPathComponent("expected.jsonl"), encoding: .utf8)
            // Read a copy: opening never changes a golden file, but a reader must not need to write.
            let events = try readAll(dir.appendingPathComponent("log").path)
            #expect(events.map(\.line).joined(separator: "\n") + "\n" == expected, "golden log \(v)")
            let report = try LogInspector.verify(path: dir.appendingPathComponent("log").path)
            #expect(report.problem == nil)
            #expect(report.segments >= 2, "golden log \(v) spans segments")
            // zero-copy views agree with the owning parse
            var views: [String] = []
            let cursor = try LogReader(path: dir.appendingPathComponent("log").path).cursor()
            while let b = try cursor.next() { try b.forEachEventView { views.append(String(decoding: $0.data, as: UTF8.self)) } }
            #expect(views == events.map(\.dataText))
        }
    }

    /// Writes `events/golden/<version>/` with a fixed clock.
    static func record(_ version: String) throws {
        let dir = root.appendingPathComponent(version)
        try? FileManager.default.removeItem(at: dir)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var options = testOptions(segmentBytes: 600)
        let clock = FixedClock("2021-07-12T08:00:00.000Z")
        options.clock = { clock.now() }
        let w = try LogWriter(path: dir.appendingPathComponent("log").path, options: options)
        let batches: [[PendingEvent]] = [
            [PendingEvent(type: "AgencyRegistered", json: #"{"agency":"tn-stats","name":"Cục Thống kê Thái Nguyên","families":["gdp","budget"],"regions":["19"]}"#)],
            [PendingEvent(type: "SubmissionAccepted", json: #"{"submission":"s1","agency":"tn-stats","file":"grdp \"H1\" 2021.csv","sha256":"9f2c","rows":1}"#),
             PendingEvent(type: "ObservationReported", json: #"{"submission":"s1","indicator":"gdp.grdp_growth","region":"19","period":"2021-H1","dims":{"price":"constant_2010"},"value":"6.5","unit":"percent","status":"preliminary"}"#)],
            [PendingEvent(type: "ObservationRevised", version: 2, json: #"{"submission":"s2","indicator":"gdp.grdp_growth","region":"19","period":"2021-H1","dims":{"price":"constant_2010"},"value":"6.52","previous":"6.5","status":"revised","note":"tab\tnewline\nunicode ✓"}"#)],
            (0..<12).map { PendingEvent(type: "ObservationReported", json: #"{"indicator":"cpi.index","region":"01","period":"2021-\#($0 < 9 ? "0" : "")\#($0 + 1)","dims":{"group":"food"},"value":"10\#($0).25"}"#) },
        ]
        for b in batches {
            try w.append(b)
            clock.advance(seconds: 86_400)
        }
        try w.close()
        try? FileManager.default.removeItem(atPath: dir.appendingPathComponent("log/LOCK").path)
        let lines = try readAll(dir.appendingPathComponent("log").path).map(\.line)
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("expected.jsonl"), atomically: true, encoding: .utf8)
    }
}
