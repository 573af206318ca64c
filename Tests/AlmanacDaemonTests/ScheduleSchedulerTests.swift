import AlmanacTesting
import Foundation
import Testing
@testable import AlmanacDaemon

private func utc(_ text: String) -> Date {
    CivilTime.parseISOStamp(text.count == 17 ? String(text.dropLast()) + ":00Z" : text)!
}

private func schedule(_ name: String, _ cron: String, keep: Int = 3) throws -> ExportSchedule {
    ExportSchedule(name: name, cron: try CronExpression(cron), format: .csv, out: "/srv/exports", keep: keep)
}

/// The daemon's loop with a clock that jumps to each wakeup: every due run is done and
/// recorded (finishing a minute later, `ok`), until the next wakeup would pass `until`.
private func simulate(_ scheduler: inout ExportScheduler, from: Date, until: Date) throws -> [DueExport] {
    var now = from
    var runs: [DueExport] = []
    while true {
        for run in scheduler.due(now: now) {
            runs.append(run)
            scheduler.record(run, finishedAt: now.addingTimeInterval(60), outcome: .ok, directory: run.directory)
        }
        guard let wake = scheduler.nextWakeup(after: now), wake <= until else { return runs }
        try #require(wake > now, "the wakeup must move on")
        now = wake
    }
}

/// Which runs the scheduler hands out, with a fixed clock.
@Suite struct ScheduleSchedulerTests {
    static func configuration(_ exports: [ExportSchedule], zone: String = "UTC") -> DaemonConfiguration {
        DaemonConfiguration(timeZone: TimeZone(identifier: zone)!, exports: exports)
    }

    @Test func aDayOfQuarterHoursIs96Runs() throws {
        var s = ExportScheduler(configuration: Self.configuration([try schedule("q", "*/15 * * * *")]),
                                state: ScheduleState(), startedAt: utc("2021-07-12T00:00Z"))
        let runs = try simulate(&s, from: utc("2021-07-12T00:00Z"), until: utc("2021-07-13T00:00Z"))
        #expect(runs.count == 96)
        #expect(runs.first?.scheduled == utc("2021-07-12T00:15Z"))
        #expect(runs.last?.scheduled == utc("2021-07-13T00:00Z"))
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $1.scheduled.timeIntervalSince($0.scheduled) == 900 })
        #expect(runs.allSatisfy { !$0.madeUp })
        #expect(s.state.exports["q"]?.lastScheduled == utc("2021-07-13T00:00Z"))
    }

    /// New York's short and long days: one run per real quarter hour.
    @Test(arguments: [("2021-03-14T05:00Z", "2021-03-15T04:00Z", 92), ("2021-11-07T04:00Z", "2021-11-08T05:00Z", 100)])
    func quarterHoursAcrossDaylightSaving(_ from: String, _ until: String, _ expected: Int) throws {
        var s = ExportScheduler(configuration: Self.configuration([try schedule("q", "*/15 * * * *")], zone: "America/New_York"),
                                state: ScheduleState(), startedAt: utc(from))
        let runs = try simulate(&s, from: utc(from), until: utc(until))
        #expect(runs.count == expected)
        #expect(Set(runs.map(\.directory)).count == expected)
    }

    /// Down from 01:00 to 05:00 across the 02:00 and 03:00 runs: one made-up run on start, for
    /// 03:00, then the normal schedule.
    @Test func downAcrossTwoRunsMakesUpOne() throws {
        let dir = TemporaryDirectory("almanac-schedule")
        let statePath = dir.file("daemon/schedules.json")
        let config = Self.configuration([try schedule("night", "0 2,3 * * *")])

        var first = ExportScheduler(configuration: config, state: try ScheduleState.load(path: statePath),
                                    startedAt: utc("2021-07-10T12:00Z"))
        let before = try simulate(&first, from: utc("2021-07-10T12:00Z"), until: utc("2021-07-12T01:00Z"))
        #expect(before.map(\.scheduled) == [utc("2021-07-11T02:00Z"), utc("2021-07-11T03:00Z")])
        try first.state.save(path: statePath)
        // The daemon stops at 01:00 and starts again at 05:00.

        var second = ExportScheduler(configuration: config, state: try ScheduleState.load(path: statePath),
                                     startedAt: utc("2021-07-12T05:00Z"))
        let onStart = second.due(now: utc("2021-07-12T05:00Z"))
        #expect(onStart.count == 1)
        #expect(onStart.first?.scheduled == utc("2021-07-12T03:00Z"))
        #expect(onStart.first?.madeUp == true)
        #expect(onStart.first?.directory == "/srv/exports/night-20210712T030000Z")
        second.record(onStart[0], finishedAt: utc("2021-07-12T05:00:30.000Z"), outcome: .ok, directory: onStart[0].directory)
        #expect(second.due(now: utc("2021-07-12T05:00:30.000Z")).isEmpty)
        #expect(second.nextWakeup(after: utc("2021-07-12T05:00:30.000Z")) == utc("2021-07-13T02:00Z"))

        let after = try simulate(&second, from: utc("2021-07-12T05:00:30.000Z"), until: utc("2021-07-14T00:00Z"))
        #expect(after.map(\.scheduled) == [utc("2021-07-13T02:00Z"), utc("2021-07-13T03:00Z")])
        #expect(after.allSatisfy { !$0.madeUp })
    }

    @Test func downAcrossManyRunsMakesUpOnlyTheLatest() throws {
        let config = Self.configuration([try schedule("q", "*/15 * * * *")])
        let state = ScheduleState(exports: ["q": .init(baseline: utc("2021-07-01T00:00Z"), lastScheduled: utc("2021-07-01T00:00Z"))])
        var s = ExportScheduler(configuration: config, state: state, startedAt: utc("2021-07-12T08:07Z"))
        let runs = s.due(now: utc("2021-07-12T08:07Z"))
        #expect(runs.map(\.scheduled) == [utc("2021-07-12T08:00Z")])
        #expect(runs.map(\.madeUp) == [true])
    }

    @Test func aNewExportStartsFromTheFirstStartAndKeepsItsBaseline() throws {
        let dir = TemporaryDirectory("almanac-schedule")
        let statePath = dir.file("daemon/schedules.json")
        let config = Self.configuration([try schedule("night", "0 2 * * *")])
        // First start at 04:00: 02:00 has passed but was never due.
        let first = ExportScheduler(configuration: config, state: ScheduleState(), startedAt: utc("2021-07-12T04:00Z"))
        var copy = first
        #expect(copy.due(now: utc("2021-07-12T04:00Z")).isEmpty)
        #expect(first.state.exports["night"] == ScheduleState.Record(baseline: utc("2021-07-12T04:00Z")))
        try first.state.save(path: statePath)
        // Stopped before the first run; started two days later: the latest missed run is made up.
        var second = ExportScheduler(configuration: config, state: try ScheduleState.load(path: statePath),
                                     startedAt: utc("2021-07-14T09:00Z"))
        let runs = second.due(now: utc("2021-07-14T09:00Z"))
        #expect(runs.map(\.scheduled) == [utc("2021-07-14T02:00Z")])
        #expect(runs.map(\.madeUp) == [true])
        // A baseline at the exact time of an occurrence does not make that occurrence due.
        var exact = ExportScheduler(configuration: config, state: ScheduleState(), startedAt: utc("2021-07-12T02:00Z"))
        #expect(exact.due(now: utc("2021-07-12T02:00Z")).isEmpty)
        #expect(exact.nextWakeup(after: utc("2021-07-12T02:00Z")) == utc("2021-07-13T02:00Z"))
    }

    @Test func twoExportsInterleave() throws {
        let config = Self.configuration([try schedule("a", "10,40 * * * *"), try schedule("b", "*/25 * * * *")])
        var s = ExportScheduler(configuration: config, state: ScheduleState(), startedAt: utc("2021-07-12T00:00Z"))
        let runs = try simulate(&s, from: utc("2021-07-12T00:00Z"), until: utc("2021-07-12T01:30Z"))
        let got = runs.map { "\($0.name) \(CivilTime.isoStamp($0.scheduled).dropFirst(11).prefix(5))" }
        #expect(got == ["a 00:10", "b 00:25", "a 00:40", "b 00:50", "b 01:00", "a 01:10", "b 01:25"])
    }

    @Test func simultaneousRunsComeTogetherInConfigurationOrder() throws {
        let config = Self.configuration([try schedule("z-hourly", "0 * * * *"), try schedule("a-daily", "@daily"),
                                         try schedule("m-quarter", "*/15 * * * *")])
        var s = ExportScheduler(configuration: config, state: ScheduleState(), startedAt: utc("2021-07-11T23:50Z"))
        #expect(s.nextWakeup(after: utc("2021-07-11T23:50Z")) == utc("2021-07-12T00:00Z"))
        #expect(s.due(now: utc("2021-07-12T00:00Z")).map(\.name) == ["z-hourly", "a-daily", "m-quarter"])
    }

    @Test func aRunInFlightIsNotHandedOutAgain() throws {
        var s = ExportScheduler(configuration: Self.configuration([try schedule("q", "*/15 * * * *")]),
                                state: ScheduleState(), startedAt: utc("2021-07-12T00:00Z"))
        let first = s.due(now: utc("2021-07-12T00:15Z"))
        #expect(first.map(\.scheduled) == [utc("2021-07-12T00:15Z")])
        #expect(s.due(now: utc("2021-07-12T00:15Z")).isEmpty)
        // Still running when 00:30 passes: no second run at once, and no wakeup for it.
        #expect(s.due(now: utc("2021-07-12T00:31Z")).isEmpty)
        #expect(s.nextWakeup(after: utc("2021-07-12T00:31Z")) == nil)
        s.record(first[0], finishedAt: utc("2021-07-12T00:40Z"), outcome: .ok, directory: first[0].directory)
        // Then the 00:30 run, once.
        #expect(s.nextWakeup(after: utc("2021-07-12T00:40Z")) == utc("2021-07-12T00:40Z"))
        let next = s.due(now: utc("2021-07-12T00:40Z"))
        #expect(next.map(\.scheduled) == [utc("2021-07-12T00:30Z")])
        #expect(next.map(\.madeUp) == [false])
    }

    @Test func aFailedRunIsRecordedAndWaitsForTheNextTime() throws {
        var s = ExportScheduler(configuration: Self.configuration([try schedule("night", "0 2 * * *")]),
                                state: ScheduleState(), startedAt: utc("2021-07-12T00:00Z"))
        let run = try #require(s.due(now: utc("2021-07-12T02:00Z")).first)
        s.record(run, finishedAt: utc("2021-07-12T02:00:05.123Z"), outcome: .error("disk full"), directory: run.directory)
        #expect(s.state.exports["night"] == ScheduleState.Record(
            baseline: utc("2021-07-12T00:00Z"), lastScheduled: utc("2021-07-12T02:00Z"),
            finishedAt: utc("2021-07-12T02:00:05.123Z"), outcome: .error("disk full"),
            directory: "/srv/exports/night-20210712T020000Z"))
        #expect(s.due(now: utc("2021-07-12T02:01Z")).isEmpty)
        #expect(s.nextWakeup(after: utc("2021-07-12T02:01Z")) == utc("2021-07-13T02:00Z"))
    }

    @Test func theClockGoingBackDoesNotRepeatARun() throws {
        var s = ExportScheduler(configuration: Self.configuration([try schedule("night", "0 2 * * *")]),
                                state: ScheduleState(), startedAt: utc("2021-07-12T00:00Z"))
        let run = try #require(s.due(now: utc("2021-07-12T02:00Z")).first)
        s.record(run, finishedAt: utc("2021-07-12T02:01Z"), outcome: .ok, directory: run.directory)
        #expect(s.due(now: utc("2021-07-12T01:00Z")).isEmpty)
        #expect(s.due(now: utc("2021-07-12T02:30Z")).isEmpty)
        #expect(s.nextWakeup(after: utc("2021-07-12T01:00Z")) == utc("2021-07-13T02:00Z"))
        // A late record of an older run does not move the schedule back.
        let old = DueExport(export: try schedule("night", "0 2 * * *"), scheduled: utc("2021-07-11T02:00Z"), madeUp: false)
        s.record(old, finishedAt: utc("2021-07-12T02:02Z"), outcome: .error("late"), directory: old.directory)
        #expect(s.state.exports["night"]?.lastScheduled == utc("2021-07-12T02:00Z"))
        #expect(s.state.exports["night"]?.outcome == .ok)
    }

    @Test func stateSurvivesTheFileExactly() throws {
        let dir = TemporaryDirectory("almanac-schedule")
        let statePath = dir.file("daemon/schedules.json")
        let config = Self.configuration([try schedule("a", "10,40 * * * *"), try schedule("b", "@hourly")])
        var s = ExportScheduler(configuration: config, state: ScheduleState(), startedAt: utc("2021-07-12T00:00:00.123Z"))
        for run in s.due(now: utc("2021-07-12T00:00:00.123Z")) { Issue.record("unexpected \(run)") }
        _ = try simulate(&s, from: utc("2021-07-12T00:00:00.123Z"), until: utc("2021-07-12T03:00Z"))
        try s.state.save(path: statePath)
        #expect(try ScheduleState.load(path: statePath) == s.state)
        #expect(s.state.exports.keys.sorted() == ["a", "b"])
    }

    @Test func noExportsNoWakeup() {
        var s = ExportScheduler(configuration: DaemonConfiguration(), state: ScheduleState(), startedAt: utc("2021-07-12T00:00Z"))
        #expect(s.due(now: utc("2021-07-13T00:00Z")).isEmpty)
        #expect(s.nextWakeup(after: utc("2021-07-13T00:00Z")) == nil)
    }

    @Test func snapshotNamesAndRetention() throws {
        let e = try schedule("nightly", "0 2 * * *", keep: 2)
        #expect(e.snapshotName(scheduled: utc("2021-12-31T02:00Z")) == "nightly-20211231T020000Z")
        let names = [
            "nightly-20211229T020000Z", "nightly-20211231T020000Z", "nightly-20211230T020000Z",
            "nightly-csv-20211201T020000Z",   // another export
            "nightly-20211228T020000Z.tmp",   // not a snapshot
            "nightly-2021122T020000Z", "nightly-20211332T020000Z", "README",
            "nightly-20211201T020000Z",
        ]
        #expect(e.expiredSnapshots(among: names) == ["nightly-20211201T020000Z", "nightly-20211229T020000Z"])
        #expect(try schedule("nightly", "0 2 * * *", keep: 10).expiredSnapshots(among: names).isEmpty)
    }
}
