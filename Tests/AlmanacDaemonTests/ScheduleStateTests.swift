import AlmanacTesting
import Foundation
import Testing
@testable import AlmanacDaemon

private func utc(_ text: String) -> Date { CivilTime.parseISOStamp(text)! }

/// The schedule state file: round trips, atomic replacement, and refusal of what it cannot read.
@Suite struct ScheduleStateTests {
    static let sample = ScheduleState(exports: [
        "nightly-csv": .init(baseline: utc("2021-12-29T10:15:07.125Z"), lastScheduled: utc("2021-12-31T02:00:00Z"),
                             finishedAt: utc("2021-12-31T02:00:41.250Z"), outcome: .ok,
                             directory: "/srv/almanac/exports/nightly-csv-20211231T020000Z"),
        "weekly": .init(baseline: utc("2021-12-29T10:15:07.125Z"), lastScheduled: utc("2021-12-26T03:30:00Z"),
                        finishedAt: utc("2021-12-26T03:31:00.000Z"),
                        outcome: .error("store is locked: \"log/LOCK\"\nsecond line ü"), directory: "/x/weekly-20211226T033000Z"),
        "new": .init(baseline: utc("2021-12-29T10:15:07.125Z")),
    ])

    @Test func roundTripsThroughTheFile() throws {
        let dir = TemporaryDirectory("almanac-state")
        let path = dir.file("daemon/schedules.json")  // the folder does not exist yet
        try Self.sample.save(path: path)
        #expect(try ScheduleState.load(path: path) == Self.sample)
        // Nothing is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("daemon")) == ["schedules.json"])
        // Saving again replaces it.
        var changed = Self.sample
        changed.exports["new"]?.outcome = .ok
        try changed.save(path: path)
        #expect(try ScheduleState.load(path: path) == changed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("daemon")) == ["schedules.json"])
    }

    @Test func fileIsReadableJSON() throws {
        let text = String(decoding: Self.sample.encoded(), as: UTF8.self)
        #expect(text.contains("\"version\" : 1"))
        #expect(text.contains("\"last_scheduled\" : \"2021-12-31T02:00:00.000Z\""))
        #expect(text.contains("\"finished_at\" : \"2021-12-31T02:00:41.250Z\""))
        #expect(text.contains("\"outcome\" : \"error\""))
        #expect(text.contains("\"directory\" : \"/srv/almanac/exports/nightly-csv-20211231T020000Z\""))
        #expect(text.hasSuffix("}\n"))
        // The example in ScheduleState's documentation is what is written.
        let one = ScheduleState(exports: ["nightly-csv": Self.sample.exports["nightly-csv"]!])
        #expect(String(decoding: one.encoded(), as: UTF8.self) == """
            {
              "exports" : {
                "nightly-csv" : {
                  "baseline" : "2021-12-29T10:15:07.125Z",
                  "directory" : "/srv/almanac/exports/nightly-csv-20211231T020000Z",
                  "finished_at" : "2021-12-31T02:00:41.250Z",
                  "last_scheduled" : "2021-12-31T02:00:00.000Z",
                  "outcome" : "ok"
                }
              },
              "version" : 1
            }

            """)
    }

    @Test func missingFileIsAnEmptyState() throws {
        let dir = TemporaryDirectory("almanac-state")
        #expect(try ScheduleState.load(path: dir.file("daemon/schedules.json")) == ScheduleState())
    }

    @Test(arguments: [
        ("{", "not a schedule state file: "),
        ("{\"exports\": {}}", "not a schedule state file: missing \"version\""),
        ("{\"version\": 2, \"exports\": {}}", "not a schedule state file: version 2 is newer than this almanac reads (1) at version"),
        ("{\"version\": 1, \"exports\": {\"a\": {\"baseline\": \"yesterday\"}}}",
         "not a schedule state file: \"yesterday\" is not an instant like 2021-12-31T02:00:00.000Z at exports.a.baseline"),
        ("{\"version\": 1, \"exports\": {\"a\": {\"baseline\": \"2021-12-31T02:00:00.000Z\", \"outcome\": \"maybe\"}}}",
         "not a schedule state file: unknown outcome \"maybe\" at exports.a.outcome"),
        ("{\"version\": \"1\", \"exports\": {}}", "not a schedule state file: wrong type at version"),
    ])
    func refusesWhatItCannotRead(_ content: String, _ reasonPrefix: String) throws {
        let dir = TemporaryDirectory("almanac-state")
        let path = dir.file("schedules.json")
        try content.write(toFile: path, atomically: true, encoding: .utf8)
        do throws(ScheduleStateError) {
            _ = try ScheduleState.load(path: path)
            Issue.record("loaded")
        } catch {
            #expect(error.path == path)
            #expect(error.reason.hasPrefix(reasonPrefix), "\(error.reason)")
            #expect(error.description == path + ": " + error.reason)
        }
    }

    @Test func saveFailureNamesTheFile() throws {
        let dir = TemporaryDirectory("almanac-state")
        let blocker = dir.file("daemon")
        try "a file where the folder should be".write(toFile: blocker, atomically: true, encoding: .utf8)
        let path = blocker + "/schedules.json"
        do throws(ScheduleStateError) {
            try Self.sample.save(path: path)
            Issue.record("saved")
        } catch {
            #expect(error.path == path)
            #expect(error.reason.hasPrefix("cannot save: "), "\(error.reason)")
        }
        #expect(try String(contentsOfFile: blocker, encoding: .utf8) == "a file where the folder should be")
    }
}
