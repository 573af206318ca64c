import AlmanacTesting
import Foundation
import Testing
@testable import AlmanacDaemon

/// A valid export table with one line replaced (or removed when `with` is nil).
private func exportTable(replacing key: String? = nil, with line: String? = nil, name: String = "nightly-csv") -> String {
    var lines = [
        "name = \"\(name)\"", "cron = \"0 2 * * *\"", "format = \"csv\"",
        "out = \"/srv/almanac/exports\"", "keep = 7",
    ]
    if let key {
        if let i = lines.firstIndex(where: { $0.hasPrefix(key + " ") }) {
            if let line { lines[i] = line } else { lines.remove(at: i) }
        } else if let line {
            lines.append(line)
        }
    }
    return "[[export]]\n" + lines.joined(separator: "\n") + "\n"
}

/// The daemon's TOML configuration: what it reads, and the exact message of each mistake.
@Suite struct ConfigParseTests {
    static let file = "daemon.toml"

    static func message(_ toml: String) -> String? {
        do throws(DaemonConfigurationError) {
            _ = try DaemonConfiguration(toml: toml, file: file)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsEveryKey() throws {
        let c = try DaemonConfiguration(toml: """
            # almanac daemon configuration
            settle_seconds = 3
            poll_seconds = 10
            timezone = "Asia/Ho_Chi_Minh"

            [[export]]
            name = "nightly-csv"
            cron = "0 2 * * *"
            format = "csv"
            out = "/srv/almanac/exports/"
            keep = 7
            query = "from cpi.cpi | during 2021"
            as_of = "2021-07-12"

            [[export]]
            name = "q-sdmx"
            cron = "@monthly"
            format = "sdmx-csv"
            out = "/srv/x"
            keep = 1
            as_of = 2020-02-29
            """, file: "/etc/almanac/daemon.toml")
        #expect(c.settleSeconds == 3)
        #expect(c.pollSeconds == 10)
        #expect(c.timeZone.identifier == "Asia/Ho_Chi_Minh")
        #expect(c.exports.count == 2)
        let first = c.exports[0]
        #expect(first == ExportSchedule(name: "nightly-csv", cron: try CronExpression("0 2 * * *"), format: .csv,
                                        out: "/srv/almanac/exports", keep: 7,
                                        query: "from cpi.cpi | during 2021", asOf: "2021-07-12"))
        #expect(c.exports[1].format == .sdmxCSV)
        #expect(c.exports[1].asOf == "2020-02-29")
        #expect(c.exports[1].query == nil)
    }

    @Test func defaults() throws {
        let c = try DaemonConfiguration(toml: "# nothing\n", file: Self.file)
        #expect(c == DaemonConfiguration())
        #expect(c.settleSeconds == 2 && c.pollSeconds == 5)
        #expect(c.timeZone == TimeZone(identifier: "UTC"))
        #expect(c.exports.isEmpty)
        #expect(try DaemonConfiguration(toml: "timezone = \"UTC\"", file: Self.file).timeZone.secondsFromGMT() == 0)
        #expect(try DaemonConfiguration(toml: "timezone = \"Etc/UTC\"", file: Self.file).timeZone.secondsFromGMT() == 0)
        // Old names that the tz database keeps as links are tz database names too.
        #expect(try DaemonConfiguration(toml: "timezone = \"Asia/Saigon\"", file: Self.file).timeZone.secondsFromGMT() == 7 * 3600)
    }

    @Test(arguments: [
        ("/etc/almanac/daemon.toml", "exports", "/etc/almanac/exports"),
        ("/etc/almanac/daemon.toml", "./exports/", "/etc/almanac/exports"),
        ("/etc/almanac/daemon.toml", "../srv/exports", "/etc/srv/exports"),
        ("/etc/almanac/daemon.toml", "/abs/exports", "/abs/exports"),
        ("/etc/almanac/daemon.toml", "/", "/"),
    ])
    func relativeOutResolvesAgainstTheFilesDirectory(_ file: String, _ out: String, _ expected: String) throws {
        let c = try DaemonConfiguration(toml: exportTable(replacing: "out", with: "out = \"\(out)\""), file: file)
        #expect(c.exports[0].out == expected)
    }

    @Test func relativeFileResolvesAgainstTheCurrentDirectory() throws {
        let c = try DaemonConfiguration(toml: exportTable(replacing: "out", with: "out = \"exports\""), file: "conf/daemon.toml")
        #expect(c.exports[0].out == FileManager.default.currentDirectoryPath + "/conf/exports")
    }

    @Test(arguments: [
        // Unknown keys, with a suggestion when one is close.
        ("pol_seconds = 5", "daemon.toml: pol_seconds: unknown key \"pol_seconds\"; did you mean \"poll_seconds\"?"),
        ("time_zone = \"UTC\"", "daemon.toml: time_zone: unknown key \"time_zone\"; did you mean \"timezone\"?"),
        ("colour = \"red\"", "daemon.toml: colour: unknown key \"colour\" (the keys are settle_seconds, poll_seconds, timezone, export)"),
        ("[[exports]]\nname = \"x\"", "daemon.toml: exports: unknown key \"exports\"; did you mean \"export\"?"),
        (exportTable(replacing: "format", with: "fromat = \"csv\""), "daemon.toml: export[1].fromat: unknown key \"fromat\"; did you mean \"format\"?"),
        (exportTable(replacing: "x", with: "asof = \"2021-07-12\""), "daemon.toml: export[1].asof: unknown key \"asof\"; did you mean \"as_of\"?"),
        (exportTable(replacing: "x", with: "owner = \"me\""), "daemon.toml: export[1].owner: unknown key \"owner\" (the keys are name, cron, format, out, keep, query, as_of)"),
        // Wrong types.
        (exportTable(replacing: "keep", with: "keep = \"7\""), "daemon.toml: export[1].keep: expected an integer, found a string"),
        (exportTable(replacing: "keep", with: "keep = 7.0"), "daemon.toml: export[1].keep: expected an integer, found a floating-point number"),
        (exportTable(replacing: "cron", with: "cron = 2"), "daemon.toml: export[1].cron: expected a string, found an integer"),
        (exportTable(replacing: "name", with: "name = [\"a\"]"), "daemon.toml: export[1].name: expected a string, found an array"),
        (exportTable(replacing: "query", with: "query = true"), "daemon.toml: export[1].query: expected a string, found a boolean"),
        (exportTable(replacing: "as_of", with: "as_of = 2021-07-12T00:00:00Z"), "daemon.toml: export[1].as_of: expected a date, found a date-time"),
        ("poll_seconds = 2.5", "daemon.toml: poll_seconds: expected an integer, found a floating-point number"),
        ("timezone = 7", "daemon.toml: timezone: expected a string, found an integer"),
        ("[export]\nname = \"x\"", "daemon.toml: export: expected an array of tables ([[export]]), found a table"),
        ("export = [1, 2]", "daemon.toml: export: expected an array of tables ([[export]]), found an array"),
        // Missing keys.
        (exportTable(replacing: "cron"), "daemon.toml: export[1]: missing key \"cron\""),
        (exportTable(replacing: "keep"), "daemon.toml: export[1]: missing key \"keep\""),
        // Bad values.
        (exportTable(name: "Nightly CSV"), "daemon.toml: export[1].name: \"Nightly CSV\" is not a valid export name (1 to 64 lower-case letters, digits and hyphens)"),
        (exportTable(name: "nightly_csv"), "daemon.toml: export[1].name: \"nightly_csv\" is not a valid export name (1 to 64 lower-case letters, digits and hyphens)"),
        (exportTable(name: ""), "daemon.toml: export[1].name: \"\" is not a valid export name (1 to 64 lower-case letters, digits and hyphens)"),
        (exportTable(name: String(repeating: "a", count: 65)), "daemon.toml: export[1].name: \"\(String(repeating: "a", count: 65))\" is not a valid export name (1 to 64 lower-case letters, digits and hyphens)"),
        (exportTable() + exportTable(name: "other") + exportTable(), "daemon.toml: export[3].name: \"nightly-csv\" is also the name of export[1]"),
        (exportTable() + exportTable(replacing: "cron", with: "cron = \"0 25 * * *\"", name: "b"), "daemon.toml: export[2].cron: hour field: 25 is out of range 0-23"),
        (exportTable(replacing: "cron", with: "cron = \"0 2 * *\""), "daemon.toml: export[1].cron: expected 5 fields (minute hour day-of-month month day-of-week), found 4 in \"0 2 * *\""),
        (exportTable(replacing: "cron", with: "cron = \"@nightly\""), "daemon.toml: export[1].cron: unknown name \"@nightly\" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)"),
        (exportTable(replacing: "format", with: "format = \"cvs\""), "daemon.toml: export[1].format: unknown format \"cvs\"; did you mean \"csv\"?"),
        (exportTable(replacing: "format", with: "format = \"sdmx\""), "daemon.toml: export[1].format: unknown format \"sdmx\"; did you mean \"sdmx-csv\"?"),
        (exportTable(replacing: "format", with: "format = \"JSONL\""), "daemon.toml: export[1].format: unknown format \"JSONL\"; did you mean \"jsonl\"?"),
        (exportTable(replacing: "format", with: "format = \"xml\""), "daemon.toml: export[1].format: unknown format \"xml\" (the formats are csv, jsonl, sqlite, sdmx-csv)"),
        (exportTable(replacing: "keep", with: "keep = 0"), "daemon.toml: export[1].keep: must be at least 1, found 0"),
        (exportTable(replacing: "keep", with: "keep = -3"), "daemon.toml: export[1].keep: must be at least 1, found -3"),
        (exportTable(replacing: "out", with: "out = \"\""), "daemon.toml: export[1].out: must not be empty"),
        (exportTable(replacing: "query", with: "query = \"  \""), "daemon.toml: export[1].query: must not be empty (leave it out to export everything)"),
        (exportTable(replacing: "as_of", with: "as_of = \"2021-02-29\""), "daemon.toml: export[1].as_of: \"2021-02-29\" is not a date (YYYY-MM-DD)"),
        (exportTable(replacing: "as_of", with: "as_of = \"12/07/2021\""), "daemon.toml: export[1].as_of: \"12/07/2021\" is not a date (YYYY-MM-DD)"),
        ("settle_seconds = -1", "daemon.toml: settle_seconds: must be from 0 to 3600, found -1"),
        ("poll_seconds = 0", "daemon.toml: poll_seconds: must be from 1 to 3600, found 0"),
        ("timezone = \"Asia/Ho_Chi_Mihn\"", "daemon.toml: timezone: unknown time zone \"Asia/Ho_Chi_Mihn\"; did you mean \"Asia/Ho_Chi_Minh\"?"),
        ("timezone = \"Mars/Olympus_Mons\"", "daemon.toml: timezone: unknown time zone \"Mars/Olympus_Mons\" (a tz database name such as \"Asia/Ho_Chi_Minh\" or \"UTC\")"),
        ("timezone = \"EST\"", "daemon.toml: timezone: \"EST\" is an abbreviation or an offset, not a tz database name such as \"America/New_York\" or \"UTC\""),
        ("timezone = \"UTC+7\"", "daemon.toml: timezone: \"UTC+7\" is an abbreviation or an offset, not a tz database name such as \"America/New_York\" or \"UTC\""),
    ])
    func errors(_ toml: String, _ expected: String) {
        #expect(Self.message(toml) == expected)
    }

    @Test func errorsCarryTheirPlace() {
        do throws(DaemonConfigurationError) {
            _ = try DaemonConfiguration(toml: exportTable() + exportTable(replacing: "keep", with: "keep = 0", name: "b"), file: Self.file)
            Issue.record("accepted")
        } catch {
            #expect(error.file == Self.file)
            #expect(error.keyPath == "export[2].keep")
            #expect(error.line == nil)
        }
    }

    @Test func syntaxErrorsHaveALine() throws {
        let toml = "settle_seconds = 2\npoll_seconds = 5\n\n[[export]]\nname = \"a\"\ncron = \"0 2 * * *\nkeep = 1\n"
        do throws(DaemonConfigurationError) {
            _ = try DaemonConfiguration(toml: toml, file: Self.file)
            Issue.record("accepted")
        } catch {
            #expect(error.line == 6)
            #expect(error.keyPath == nil)
            #expect(error.description.hasPrefix("daemon.toml:6:"))
        }
    }

    @Test func duplicateKeysAreSyntaxErrors() {
        do throws(DaemonConfigurationError) {
            _ = try DaemonConfiguration(toml: "poll_seconds = 5\n\npoll_seconds = 6\n", file: Self.file)
            Issue.record("accepted")
        } catch {
            #expect(error.line == 3)
        }
    }

    @Test func loadReadsTheFile() throws {
        let dir = TemporaryDirectory("almanac-config")
        let path = dir.file("daemon.toml")
        try exportTable(replacing: "out", with: "out = \"snapshots\"").write(toFile: path, atomically: true, encoding: .utf8)
        let c = try DaemonConfiguration.load(path: path)
        #expect(c.exports.map(\.name) == ["nightly-csv"])
        #expect(c.exports[0].out == URL(fileURLWithPath: dir.path).standardizedFileURL.path + "/snapshots")
    }

    @Test func loadNamesTheFileWhenItCannot() throws {
        let dir = TemporaryDirectory("almanac-config")
        let missing = dir.file("missing.toml")
        #expect(throws: DaemonConfigurationError(file: missing, reason: "cannot read: No such file or directory")) {
            try DaemonConfiguration.load(path: missing)
        }
        let binary = dir.file("binary.toml")
        try Data([0x6B, 0x3D, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: binary))
        #expect(throws: DaemonConfigurationError(file: binary, reason: "not UTF-8 text")) {
            try DaemonConfiguration.load(path: binary)
        }
        let bad = dir.file("bad.toml")
        try "keep = 1\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: DaemonConfigurationError(file: bad, keyPath: "keep",
                                                 reason: "unknown key \"keep\" (the keys are settle_seconds, poll_seconds, timezone, export)")) {
            try DaemonConfiguration.load(path: bad)
        }
    }
}
