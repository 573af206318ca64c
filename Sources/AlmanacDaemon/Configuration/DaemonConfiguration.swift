import AlmanacDomain
import Foundation
import Glibc
import TOMLKit

/// The daemon's configuration file (TOML; the format is in `docs/daemon-config.md`).
///
/// ```toml
/// settle_seconds = 2
/// poll_seconds = 5
/// timezone = "Asia/Ho_Chi_Minh"
///
/// [[export]]
/// name = "nightly-csv"
/// cron = "0 2 * * *"
/// format = "csv"
/// out = "/srv/almanac/exports"
/// keep = 7
/// ```
///
/// Everything is checked when the file is read, so the daemon refuses to start on a mistake
/// instead of failing at two in the morning: unknown keys (with a suggestion), wrong types,
/// names, duplicates, cron expressions, formats, retention and the time zone. The query of
/// an export is not checked here: it needs the store's catalogue, and `Store.export` checks it.
public struct DaemonConfiguration: Sendable, Equatable {
    /// The top-level keys.
    public static let topLevelKeys = ["settle_seconds", "poll_seconds", "timezone", "export"]
    /// The keys of an `[[export]]` table.
    public static let exportKeys = ["name", "cron", "format", "out", "keep", "query", "as_of"]

    /// Limits: a configuration file is a few hundred bytes; anything near these is a mistake.
    public static let fileBytesMax = 1 << 20
    public static let exportsMax = 1000
    public static let settleSecondsRange = 0...3600
    public static let pollSecondsRange = 1...3600

    /// A file in the inbox whose size and modification time have not changed for this long is complete.
    public var settleSeconds: Int
    /// The inbox is rescanned this often even without inotify events.
    public var pollSeconds: Int
    /// The zone cron expressions are read in (`timezone`; UTC when absent).
    public var timeZone: TimeZone
    /// The scheduled exports, in the order of the file.
    public var exports: [ExportSchedule]

    public init(settleSeconds: Int = 2, pollSeconds: Int = 5, timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                exports: [ExportSchedule] = []) {
        self.settleSeconds = settleSeconds
        self.pollSeconds = pollSeconds
        self.timeZone = timeZone
        self.exports = exports
    }

    /// Reads and checks a configuration file.
    ///
    /// - Parameter path: The file; relative `out` paths in it resolve against its directory.
    /// - Throws: ``DaemonConfigurationError`` naming the file.
    public static func load(path: String) throws(DaemonConfigurationError) -> DaemonConfiguration {
        let bytes = try readFile(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DaemonConfigurationError(file: path, reason: "not UTF-8 text")
        }
        return try DaemonConfiguration(toml: text, file: path)
    }

    /// Parses and checks configuration text.
    ///
    /// - Parameters:
    ///   - toml: The text of the file.
    ///   - file: The file's path: errors name it, and relative `out` paths resolve against its
    ///     directory (itself against the current directory when relative).
    /// - Throws: ``DaemonConfigurationError``.
    public init(toml: String, file: String) throws(DaemonConfigurationError) {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: toml)
        } catch let e as TOMLParseError {
            throw DaemonConfigurationError(file: file, line: e.source.begin.line, column: e.source.begin.column,
                                           reason: e.description)
        } catch {
            throw DaemonConfigurationError(file: file, reason: "\(error)")
        }
        let top = TOMLFields(table: root, path: "", file: file)
        try top.refuseUnknownKeys(allowed: Self.topLevelKeys)
        self.init()
        settleSeconds = try Self.seconds(top, "settle_seconds", Self.settleSecondsRange) ?? settleSeconds
        pollSeconds = try Self.seconds(top, "poll_seconds", Self.pollSecondsRange) ?? pollSeconds
        if let identifier = try top.string("timezone") {
            timeZone = try Self.timeZone(identifier, top)
        }
        guard let list = top.value("export") else { return }
        guard let array = list.array, array.allSatisfy({ $0.type == .table }) else {
            throw top.error("export", "expected an array of tables ([[export]]), found \(TOMLFields.describe(list.type))")
        }
        guard array.count <= Self.exportsMax else {
            throw top.error("export", "more than \(Self.exportsMax) exports")
        }
        let directory = Self.directory(of: file)
        var firstIndex: [String: Int] = [:]
        for index in 0..<array.count {
            let fields = TOMLFields(table: array[index].table!, path: "export[\(index + 1)]", file: file)
            let export = try Self.export(fields, directory: directory)
            if let first = firstIndex[export.name] {
                throw fields.error("name", "\"\(export.name)\" is also the name of export[\(first)]")
            }
            firstIndex[export.name] = index + 1
            exports.append(export)
        }
    }

    private static func export(_ fields: TOMLFields, directory: String) throws(DaemonConfigurationError) -> ExportSchedule {
        try fields.refuseUnknownKeys(allowed: exportKeys)
        let name = try fields.required("name", fields.string)
        guard ExportSchedule.isValidName(name) else {
            throw fields.error("name", "\"\(name)\" is not a valid export name (1 to \(ExportSchedule.nameCharactersMax) lower-case letters, digits and hyphens)")
        }
        let cronText = try fields.required("cron", fields.string)
        let cron: CronExpression
        do throws(CronSyntaxError) {
            cron = try CronExpression(cronText)
        } catch {
            throw fields.error("cron", error.description)
        }
        let formatText = try fields.required("format", fields.string)
        guard let format = ExportFormat(rawValue: formatText) else {
            let names = ExportFormat.allCases.map(\.rawValue)
            // `sdmx` is far from `sdmx-csv` by edits but plainly meant it.
            let near = names.first { formatText.count >= 3 && $0.hasPrefix(formatText.lowercased()) }
                ?? DidYouMean.suggestions(for: formatText, among: names, limit: 1).first
            let hint = near.map { "; did you mean \"\($0)\"?" }
                ?? " (the formats are \(names.joined(separator: ", ")))"
            throw fields.error("format", "unknown format \"\(formatText)\"" + hint)
        }
        let outText = try fields.required("out", fields.string)
        guard !outText.isEmpty else { throw fields.error("out", "must not be empty") }
        let keep = try fields.required("keep", fields.int)
        guard keep >= 1 else { throw fields.error("keep", "must be at least 1, found \(keep)") }
        let query = try fields.string("query")
        if let query, query.trimmingCharacters(in: .whitespaces).isEmpty {
            throw fields.error("query", "must not be empty (leave it out to export everything)")
        }
        return ExportSchedule(name: name, cron: cron, format: format, out: resolve(outText, against: directory),
                              keep: keep, query: query, asOf: try asOf(fields))
    }

    /// `as_of` as a string `"2021-07-12"` or a TOML date `2021-07-12`.
    private static func asOf(_ fields: TOMLFields) throws(DaemonConfigurationError) -> String? {
        guard let v = fields.value("as_of") else { return nil }
        if let d = v.date {
            return CivilTime.pad(Int64(d.year), 4) + "-" + CivilTime.pad(Int64(d.month), 2) + "-" + CivilTime.pad(Int64(d.day), 2)
        }
        guard let s = v.string else { throw fields.wrongType("as_of", expected: "a date", found: v) }
        guard CivilTime.parseDate(s) != nil else {
            throw fields.error("as_of", "\"\(s)\" is not a date (YYYY-MM-DD)")
        }
        return s
    }

    private static func seconds(_ fields: TOMLFields, _ key: String, _ range: ClosedRange<Int>) throws(DaemonConfigurationError) -> Int? {
        guard let n = try fields.int(key) else { return nil }
        guard range.contains(n) else {
            throw fields.error(key, "must be from \(range.lowerBound) to \(range.upperBound), found \(n)")
        }
        return n
    }

    private static func timeZone(_ identifier: String, _ fields: TOMLFields) throws(DaemonConfigurationError) -> TimeZone {
        let known = TimeZone.knownTimeZoneIdentifiers
        if let zone = TimeZone(identifier: identifier) {
            // Foundation also takes abbreviations and offsets ("EST", "GMT+7"), whose daylight
            // saving time is not what their users expect; only tz database names are kept.
            if identifier == "UTC" || identifier == "GMT" || identifier.contains("/") || known.contains(identifier) {
                return zone
            }
            throw fields.error("timezone", "\"\(identifier)\" is an abbreviation or an offset, not a tz database name such as \"America/New_York\" or \"UTC\"")
        }
        let hint = DidYouMean.suggestions(for: identifier, among: known, limit: 1).first.map { "; did you mean \"\($0)\"?" }
            ?? " (a tz database name such as \"Asia/Ho_Chi_Minh\" or \"UTC\")"
        throw fields.error("timezone", "unknown time zone \"\(identifier)\"" + hint)
    }

    /// The absolute directory a file is in.
    static func directory(of file: String) -> String {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent()
        return url.standardizedFileURL.path
    }

    /// `path` made absolute against `directory`, without `.`, `..` or a trailing slash.
    static func resolve(_ path: String, against directory: String) -> String {
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(path)
        var out = url.standardizedFileURL.path
        while out.count > 1 && out.hasSuffix("/") { out.removeLast() }
        return out
    }

    private static func readFile(_ path: String) throws(DaemonConfigurationError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DaemonConfigurationError(file: path, reason: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DaemonConfigurationError(file: path, reason: "cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            guard bytes.count <= fileBytesMax else {
                throw DaemonConfigurationError(file: path, reason: "larger than \(fileBytesMax) bytes")
            }
        }
    }
}
