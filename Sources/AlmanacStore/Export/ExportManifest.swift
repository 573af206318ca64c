import Foundation

/// The `manifest.json` of a snapshot directory (documented in `docs/exports.md`).
///
/// Written last, after every data file is complete and fsynced; a snapshot directory that
/// has its final name always has a manifest whose checksums match its files.
public struct ExportManifest: Codable, Sendable, Equatable {
    /// The version of the snapshot layout and of this manifest. Bump when either changes
    /// in a way a reader must know about.
    public static let currentVersion = 1

    /// `almanacExportVersion`: the version of Almanac's export layout.
    public var almanacExportVersion: Int
    /// `csv`, `jsonl`, `sqlite` or `sdmx-csv`.
    public var format: String
    /// The version of the data files' format: `1` for Almanac's CSV and JSON Lines layouts,
    /// `1.0` for SDMX-CSV, the read model's schema version for a SQLite copy.
    public var formatVersion: String
    /// What the files hold: `observations` (every current value, or as known at `asOf`),
    /// `readmodel` (a whole copy of the read model) or `query` (a query's result).
    public var content: String
    /// The last log sequence number applied to the read model that was read.
    public var logPosition: UInt64
    /// The knowledge time as given (`2021-07-12`, or a UTC time), or null for the latest.
    public var asOf: String?
    /// The exclusive bound on `known_from` used for `asOf`, or null.
    public var knownBefore: String?
    /// When the export was taken (UTC, milliseconds).
    public var createdAt: String
    /// The query as given, or null.
    public var query: String?
    /// The query text that ran (the query with `asof` added for `--as-of`), or null.
    public var effectiveQuery: String?
    /// The read model's schema version (`ReadModelSchema.version`).
    public var readModelSchemaVersion: Int
    /// The columns of the rows, in file order (for SDMX-CSV, Almanac's names).
    public var columns: [String]
    /// Rows over all files.
    public var rows: Int
    /// Every data file with its row count, size and SHA-256 (the manifest itself excluded).
    public var files: [ExportReport.File]
    /// The query's warnings, if any.
    public var warnings: [String]

    private enum CodingKeys: String, CodingKey {
        case almanacExportVersion, format, formatVersion, content, logPosition, asOf, knownBefore, createdAt, query,
             effectiveQuery, readModelSchemaVersion, columns, rows, files, warnings
    }

    public init(almanacExportVersion: Int = ExportManifest.currentVersion, format: String, formatVersion: String, content: String,
                logPosition: UInt64, asOf: String?, knownBefore: String?, createdAt: String, query: String?,
                effectiveQuery: String?, readModelSchemaVersion: Int, columns: [String], rows: Int,
                files: [ExportReport.File], warnings: [String]) {
        self.almanacExportVersion = almanacExportVersion
        self.format = format
        self.formatVersion = formatVersion
        self.content = content
        self.logPosition = logPosition
        self.asOf = asOf
        self.knownBefore = knownBefore
        self.createdAt = createdAt
        self.query = query
        self.effectiveQuery = effectiveQuery
        self.readModelSchemaVersion = readModelSchemaVersion
        self.columns = columns
        self.rows = rows
        self.files = files
        self.warnings = warnings
    }

    /// Absent optional members are written as `null`, so every manifest has every key.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(almanacExportVersion, forKey: .almanacExportVersion)
        try c.encode(format, forKey: .format)
        try c.encode(formatVersion, forKey: .formatVersion)
        try c.encode(content, forKey: .content)
        try c.encode(logPosition, forKey: .logPosition)
        try c.encode(asOf, forKey: .asOf)
        try c.encode(knownBefore, forKey: .knownBefore)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(query, forKey: .query)
        try c.encode(effectiveQuery, forKey: .effectiveQuery)
        try c.encode(readModelSchemaVersion, forKey: .readModelSchemaVersion)
        try c.encode(columns, forKey: .columns)
        try c.encode(rows, forKey: .rows)
        try c.encode(files, forKey: .files)
        try c.encode(warnings, forKey: .warnings)
    }

    /// The manifest's bytes: pretty, keys sorted, a final newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads `manifest.json` of a snapshot directory.
    public static func read(directory: String) throws -> ExportManifest {
        let path = directory + "/" + ExportManifest.fileName
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ExportError(.io, "cannot read \(path)")
        }
        do {
            return try JSONDecoder().decode(ExportManifest.self, from: data)
        } catch {
            throw ExportError(.io, "\(path) is not an export manifest: \(error)")
        }
    }

    public static let fileName = "manifest.json"
}
