import AlmanacLog
import Foundation

/// What `almanac export` (and the daemon's export schedules) asks for: a snapshot directory
/// of the read model, in one format, as of now or as known at an earlier time, of every
/// current observation or of one query's result. See `docs/exports.md`.
public struct ExportRequest: Sendable {
    /// The file format of the snapshot's data files.
    public enum Format: String, Sendable, CaseIterable {
        /// RFC 4180 CSV, UTF-8, a header row, CRLF line ends, formula cells neutralised.
        case csv
        /// JSON Lines: one object per row.
        case jsonl
        /// A SQLite database: a consistent copy of the read model (latest), or a table of
        /// the exported rows (as-of and query exports).
        case sqlite
        /// SDMX-CSV 1.0, one file per submitting agency, which `almanac ingest` reads back.
        case sdmxCSV = "sdmx-csv"

        /// The names `--format` accepts, for messages.
        public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }

        /// Reads a format name; the error lists the accepted ones.
        public init(parsing text: String) throws(ExportError) {
            guard let format = Format(rawValue: text.lowercased()) else {
                throw ExportError(.badFormat, "unknown export format '\(text)' (\(Format.names))")
            }
            self = format
        }
    }

    public var format: Format
    /// The snapshot directory to create; refused if it exists. Its parent is created when
    /// missing.
    public var outputDirectory: String
    /// Knowledge time: a date `2021-07-12` (the end of that day, as the query language's
    /// `asof` reads it) or a UTC timestamp `2021-07-12T08:30:00Z`; nil for the latest values.
    public var asOf: String?
    /// A pipeline query whose result is exported instead of every current observation.
    public var query: String?

    public init(format: Format, outputDirectory: String, asOf: String? = nil, query: String? = nil) {
        self.format = format
        self.outputDirectory = outputDirectory
        self.asOf = asOf
        self.query = query
    }
}

/// A knowledge time given to an export: the instant before which a value must have become
/// known (`known_from < knownBefore`), and whether it was a whole day.
public struct ExportAsOf: Sendable {
    /// The text as given.
    public var text: String
    /// The exclusive bound, `YYYY-MM-DDTHH:MM:SS.mmmZ`: the next midnight for a date, one
    /// millisecond after the instant for a timestamp (stored times have millisecond precision).
    public var knownBefore: String
    /// The date, when `text` is a date (`2021-07-12`).
    public var date: (year: Int, month: Int, day: Int)? {
        guard isDate else { return nil }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return (parts[0], parts[1], parts[2])
    }
    /// Whether `text` is a date rather than a timestamp.
    public var isDate: Bool

    /// Parses `2021-07-12` or `2021-07-12T08:30[:00[.000]]Z`.
    public init(parsing text: String) throws(ExportError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let ms = Timestamp.parse(trimmed) else {
            throw ExportError(.badAsOf, "bad --as-of '\(text)': write a date 2021-07-12 (the end of that day) or a UTC time 2021-07-12T08:30:00Z")
        }
        self.text = trimmed
        isDate = trimmed.utf8.count == 10
        knownBefore = Timestamp.iso8601(ms: isDate ? ms + 86_400_000 : ms + 1)
    }
}

/// Why an export was refused or failed; `description` is one line, except for a query
/// error, which is rendered with the query line and a caret (`rendered`).
public struct ExportError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case outputExists, badOutput, badFormat, badAsOf, badQuery, unsupported, io
    }

    public var kind: Kind
    public var message: String
    /// For `badQuery`: the query error rendered under the query text (several lines).
    public var rendered: String?

    public init(_ kind: Kind, _ message: String, rendered: String? = nil) {
        self.kind = kind
        self.message = message
        self.rendered = rendered
    }

    public var description: String { message }
}

/// What an export wrote. The same facts are in the snapshot's `manifest.json`.
public struct ExportReport: Sendable {
    /// One data file of the snapshot.
    public struct File: Sendable, Hashable, Codable {
        /// The name inside the snapshot directory.
        public var name: String
        /// Data rows (header excluded; for a SQLite file, rows of its exported table).
        public var rows: Int
        public var bytes: Int
        /// Lower-case hex SHA-256 of the file's bytes.
        public var sha256: String
        /// For SDMX-CSV: the agency whose submissions the rows come from.
        public var agency: String?
        /// For SQLite: the table holding the exported rows.
        public var table: String?

        public init(name: String, rows: Int, bytes: Int, sha256: String, agency: String? = nil, table: String? = nil) {
            self.name = name
            self.rows = rows
            self.bytes = bytes
            self.sha256 = sha256
            self.agency = agency
            self.table = table
        }
    }

    /// The snapshot directory (the path asked for).
    public var directory: String
    public var format: ExportRequest.Format
    public var files: [File]
    /// The last log sequence number applied to the read model the snapshot was read from.
    public var logPosition: UInt64
    /// The knowledge time as given, or nil for the latest values.
    public var asOf: String?
    /// The exclusive bound on `known_from` the as-of export used.
    public var knownBefore: String?
    /// The query as given, or nil.
    public var query: String?
    /// When the export was taken, `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public var createdAt: String
    /// Rows over all data files.
    public var rows: Int { files.reduce(0) { $0 + $1.rows } }
    /// The query's warnings (incomplete periods left out …).
    public var warnings: [String]
}
