/// Reads a GSO PX-Web CSV export through a `PXWebMapping`.
///
/// The layout: a UTF-8 BOM, CRLF, title lines (one quoted cell each), blank lines, a
/// header row whose cells combine a measure and a year (`"Total (Bill. Dongs) 2000"`),
/// `;` between cells, then one row per label (provinces with subtotals such as
/// `WHOLE COUNTRY` and region names among them), `..` for missing, and sometimes note
/// lines at the end. One `SourceObservation` is produced per (row, mapped column) with a
/// value; the region is the raw row label (or the subtotal's replacement), to be
/// resolved by validation.
///
/// A header column that no rule maps and no `ignoreColumns` pattern covers is an error:
/// a new column in an export must not disappear silently.
public final class PXWebReader: ObservationReader {
    public let format = SourceFormat.pxWeb
    public var fileName: String { csv.fileName }
    /// Rows skipped: subtotals and labels mapped to `null`, empty rows and note lines.
    public private(set) var skippedRecordCount = 0
    /// The title line(s) before the header.
    public private(set) var title: [String] = []
    /// Data rows whose label is not a subtotal (provinces, or items).
    public private(set) var detailRowCount = 0
    /// Data rows whose label is a subtotal kept in the output.
    public private(set) var subtotalRowCount = 0
    /// Cells holding a missing-value marker (no observation made).
    public private(set) var missingCellCount = 0

    private let csv: CSVReader
    private let mapping: PXWebMapping
    private let header: CSVHeader
    private let labelIndex: Int
    /// Mapped columns: index, rule, period, status.
    private let mapped: [(column: Int, rule: PXWebMapping.Column, period: String, status: String?)]
    private var pending: [SourceObservation] = []
    private var dataRows = 0

    /// Reads the title and header and matches the header against the mapping.
    ///
    /// - Throws: `IngestError` when the file has no header, a header column is not
    ///   covered by the mapping, or the label column is missing.
    public init(csv: CSVReader, mapping: PXWebMapping) throws(IngestError) {
        self.csv = csv
        self.mapping = mapping
        // Title lines are single-cell records; the header is the first record with more.
        var headerRecord: CSVRecord?
        var titles: [String] = []
        while let record = try csv.next() {
            if record.fields.count > 1 { headerRecord = record; break }
            titles.append(record.fields[0])
            if titles.count > 20 { break }
        }
        guard let headerRecord else {
            throw IngestError(.invalidStructure, file: csv.fileName, reason: "no header row found",
                              hint: "a PX-Web export has title lines, then a header row with several cells")
        }
        title = titles
        header = try CSVHeader(record: headerRecord, file: csv.fileName) { PXWebMapping.stripFootnotes($0) }
        labelIndex = mapping.labelColumn - 1
        guard labelIndex < header.count else {
            throw IngestError(.missingColumn, file: csv.fileName, line: header.line, column: 1,
                              reason: "the mapping's label column \(mapping.labelColumn) is not in the header (\(header.count) columns)")
        }
        let patterns = mapping.columns.map { $0.headerPattern.flatMap { try? Regex($0) } }
        let ignored = mapping.ignoreColumns.compactMap { try? Regex($0) }
        var mapped: [(Int, PXWebMapping.Column, String, String?)] = []
        for (i, key) in header.keys.enumerated() where i != labelIndex {
            var found = false
            for (rule, regex) in zip(mapping.columns, patterns) {
                if let exact = rule.header, PXWebMapping.stripFootnotes(exact) == key {
                    mapped.append((i, rule, rule.period ?? "", rule.status))
                    found = true
                } else if let regex, let m = try? regex.wholeMatch(in: key) {
                    let period = m.output["period"]?.substring.map(String.init) ?? rule.period ?? ""
                    let statusText = m.output["status"]?.substring.map(String.init)
                    mapped.append((i, rule, period, statusText.map { rule.statuses[$0] ?? $0 } ?? rule.status))
                    found = true
                }
                if found { break }
            }
            if !found && !ignored.contains(where: { (try? $0.wholeMatch(in: key)) != nil }) {
                let at = header.positions[i]
                throw IngestError(.invalidMapping, file: csv.fileName, line: at.line, column: at.column,
                                  reason: "header column \(i + 1) \"\(header.names[i])\" is not in the mapping",
                                  hint: "add a column rule or an ignoreColumns pattern for it")
            }
        }
        self.mapped = mapped
        csv.headerLine = header.line
    }

    /// Opens `path` with `mapping`.
    public convenience init(path: String, mapping: PXWebMapping, displayName: String? = nil, limits: CSVLimits = .default) throws(IngestError) {
        let delimiter = mapping.delimiter.map { UInt8(ascii: $0.unicodeScalars.first!) }
        try self.init(csv: CSVReader(path: path, displayName: displayName, delimiter: delimiter, limits: limits), mapping: mapping)
    }

    public func next() throws(IngestError) -> SourceObservation? {
        while pending.isEmpty {
            guard let record = try csv.next() else {
                if dataRows == 0 { throw headerOnlyError(file: csv.fileName, headerLine: header.line) }
                return nil
            }
            try expand(record)
        }
        return pending.removeFirst()
    }

    /// Turns one row into its observations (in column order) in `pending`.
    private func expand(_ record: CSVRecord) throws(IngestError) {
        if record.isEmpty || (record.fields.count == 1 && header.count > 1) {
            // Blank-cell rows and single-cell note lines (`"(*) Including ..."`).
            skippedRecordCount += 1
            return
        }
        guard record.fields.count == header.count else {
            throw IngestError(.raggedRow, file: csv.fileName, line: record.line, column: 1,
                              reason: "record has \(record.fields.count) fields, header (line \(header.line)) has \(header.count)",
                              hint: "check for a missing or extra delimiter, or a quote that is not closed")
        }
        dataRows += 1
        let rawLabel = PXWebMapping.stripFootnotes(record.fields[labelIndex])
        var label = rawLabel
        if let subtotal = mapping.subtotals[PXWebMapping.labelKey(rawLabel)] {
            guard let replacement = subtotal else {
                skippedRecordCount += 1
                return
            }
            label = replacement
            subtotalRowCount += 1
        } else if let renamed = mapping.labels[PXWebMapping.labelKey(rawLabel)] {
            guard let replacement = renamed else {
                skippedRecordCount += 1
                return
            }
            label = replacement
            detailRowCount += 1
        } else {
            detailRowCount += 1
        }
        let labelLocation = header.location(labelIndex, in: record)
        for (column, rule, period, status) in mapped {
            let value = record.fields[column].trimmingWhitespace()
            if mapping.missingValues.contains(value) {
                missingCellCount += 1
                continue
            }
            var dimensions = rule.dimensions
            var fields: [SourceField: FieldLocation] = [.value: header.location(column, in: record)]
            let region: String
            switch mapping.rowLabel {
            case .region:
                region = label
                fields[.region] = labelLocation
            case let .dimension(name, fixedRegion):
                region = fixedRegion
                dimensions[name] = label
                fields[.dimension(name)] = labelLocation
            }
            pending.append(SourceObservation(
                indicator: rule.indicator, region: region, period: period, value: value, unit: rule.unit,
                status: status, dimensions: dimensions,
                location: SourceLocation(file: csv.fileName, record: record.number, line: record.line, fields: fields)))
        }
    }
}
