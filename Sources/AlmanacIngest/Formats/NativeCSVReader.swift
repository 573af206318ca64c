/// Reads Almanac's own CSV format (DESIGN.md §5): a header row with the required
/// columns `indicator`, `region`, `period`, `value`, the optional `unit`, `status`,
/// `release_date`, `action`, and any other column as a breakdown dimension (`group`,
/// `item`, `source`, `sector`, `price`, ...). Header names are trimmed and compared
/// case-insensitively; columns may come in any order.
///
/// Every data row must have the header's width. Rows whose cells are all empty are
/// skipped (and counted); a file with a header and no data rows is an error.
public final class NativeCSVReader: ObservationReader {
    public let format = SourceFormat.nativeCSV
    public var fileName: String { csv.fileName }
    @exclusivity(unchecked) public private(set) var skippedRecordCount = 0
    /// Dimension columns, by their lowercased names, in header order.
    public let dimensionNames: [String]

    private let csv: CSVReader
    private let header: CSVHeader
    private let columns: [SourceField: Int]
    private let dimensionColumns: [(name: String, column: Int)]
    @exclusivity(unchecked) private var dataRows = 0

    /// Column names with a fixed role; everything else is a dimension.
    static let roles: [String: SourceField] = [
        "indicator": .indicator, "region": .region, "period": .period, "value": .value,
        "unit": .unit, "status": .status, "release_date": .releaseDate, "action": .action,
    ]

    /// Reads and checks the header.
    ///
    /// - Throws: `IngestError` for an empty file, an unnamed or duplicate column, or a
    ///   missing required column.
    public init(csv: CSVReader) throws(IngestError) {
        self.csv = csv
        guard let first = try csv.next() else {
            throw IngestError(.emptyFile, file: csv.fileName, reason: "file is empty")
        }
        header = try CSVHeader(record: first, file: csv.fileName) { $0.lowercased() }
        var columns: [SourceField: Int] = [:]
        for required in ["indicator", "region", "period", "value"] {
            columns[NativeCSVReader.roles[required]!] = try header.require(required, file: csv.fileName)
        }
        var dimensions: [(name: String, column: Int)] = []
        for (i, key) in header.keys.enumerated() {
            if let role = NativeCSVReader.roles[key] { columns[role] = i } else { dimensions.append((key, i)) }
        }
        self.columns = columns
        dimensionColumns = dimensions
        dimensionNames = dimensions.map(\.name)
        csv.expectedFieldCount = header.count
        csv.headerLine = header.line
    }

    /// Opens `path` as native CSV.
    public convenience init(path: String, displayName: String? = nil, limits: CSVLimits = .default) throws(IngestError) {
        try self.init(csv: CSVReader(path: path, displayName: displayName, limits: limits))
    }

    public func next() throws(IngestError) -> SourceObservation? {
        guard try nextRawRecord() else { return nil }
        return currentObservation()
    }

    /// Reads the next record that is not empty into the CSV reader's buffers (counting the
    /// empty ones skipped); false at the end. ``currentObservation()`` turns it into what
    /// `next()` returns.
    ///
    /// - Throws: what `next()` throws (a header-only file at the end).
    func nextRawRecord() throws(IngestError) -> Bool {
        while try csv.nextRaw() {
            if csv.rawRecordIsEmpty {
                skippedRecordCount += 1
                continue
            }
            dataRows += 1
            return true
        }
        if dataRows == 0 { throw headerOnlyError(file: csv.fileName, headerLine: header.line) }
        return false
    }

    /// The record last read by ``nextRawRecord()`` as an observation.
    func currentObservation() -> SourceObservation {
        let record = csv.currentRecord()
        var fields: [SourceField: FieldLocation] = [:]
        for (role, column) in columns { fields[role] = header.location(column, in: record) }
        var dimensions: [String: String] = [:]
        for (name, column) in dimensionColumns {
            let text = record.fields[column].trimmingWhitespace()
            guard !text.isEmpty else { continue }
            dimensions[name] = text
            fields[.dimension(name)] = header.location(column, in: record)
        }
        func cell(_ role: SourceField) -> String? {
            columns[role].map { record.fields[$0].trimmingWhitespace() }
        }
        func optional(_ role: SourceField) -> String? {
            guard let text = cell(role), !text.isEmpty else { return nil }
            return text
        }
        return SourceObservation(
            indicator: cell(.indicator) ?? "", region: cell(.region) ?? "", period: cell(.period) ?? "",
            value: cell(.value) ?? "", unit: optional(.unit), status: optional(.status),
            releaseDate: optional(.releaseDate), action: optional(.action), dimensions: dimensions,
            location: SourceLocation(file: csv.fileName, record: record.number, line: record.line, fields: fields))
    }

    // MARK: - What the fast validation path needs (same module only)

    /// The column of a role, or nil when the header has none.
    func column(of role: SourceField) -> Int? { columns[role] }

    /// Dimension columns, by lowercased name, in header order.
    var dimensionColumnList: [(name: String, column: Int)] { dimensionColumns }

    /// The header names as written (trimmed), for field locations.
    var headerNames: [String] { header.names }

    /// The CSV reader underneath.
    var csvReader: CSVReader { csv }
}
