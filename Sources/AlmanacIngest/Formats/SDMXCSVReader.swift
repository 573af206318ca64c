/// Reads SDMX-CSV 1.0 (first column `DATAFLOW`) and 2.0 (`STRUCTURE`, `STRUCTURE_ID`,
/// optional `ACTION`) files.
///
/// `REF_AREA` → region, `TIME_PERIOD` → period, `OBS_VALUE` → value, `UNIT_MEASURE` →
/// unit, `UNIT_MULT` → unit multiplier, `OBS_STATUS` → status; every other column goes
/// to `dimensions` under its SDMX id. Headers in the "id: label" style have the label
/// dropped (and so do cells of such files). ACTION `I`/`A`/`R` become `report`, `D`
/// `retract`. The indicator comes from an `SDMXMapping`, or without one is
/// `<dataflow id>.<INDICATOR or MEASURE code>` (just the dataflow id if neither exists;
/// the code alone when it already starts with `<dataflow id>.`).
public final class SDMXCSVReader: ObservationReader {
    public let format: SourceFormat
    public var fileName: String { csv.fileName }
    public private(set) var skippedRecordCount = 0
    public private(set) var dataflows: Set<String> = []

    private let csv: CSVReader
    private let header: CSVHeader
    private let mapping: SDMXMapping?
    private let flowColumn: Int
    private let roles: [SourceField: Int]
    private let dimensionColumns: [(name: String, column: Int)]
    private let actionColumn: Int?
    private let labelled: Bool
    private var dataRows = 0

    static let roleColumns: [String: SourceField] = [
        "REF_AREA": .region, "TIME_PERIOD": .period, "OBS_VALUE": .value,
        "UNIT_MEASURE": .unit, "UNIT_MULT": .unitMultiplier, "OBS_STATUS": .status,
    ]

    /// Reads the header and decides the version from its first column.
    ///
    /// - Throws: `IngestError` when the first column is neither `DATAFLOW` nor
    ///   `STRUCTURE`, or `TIME_PERIOD`, `OBS_VALUE` or (without a mapping default)
    ///   `REF_AREA` is missing.
    public init(csv: CSVReader, mapping: SDMXMapping? = nil) throws(IngestError) {
        self.csv = csv
        self.mapping = mapping
        guard let first = try csv.next() else { throw IngestError(.emptyFile, file: csv.fileName, reason: "file is empty") }
        labelled = first.fields.contains { $0.contains(": ") }
        header = try CSVHeader(record: first, file: csv.fileName) { SDMXCSVReader.code($0).uppercased() }
        let file = csv.fileName
        var skip: Set<String>
        switch header.keys.first {
        case "DATAFLOW":
            format = .sdmxCSV1
            flowColumn = 0
            actionColumn = nil
            skip = ["DATAFLOW"]
        case "STRUCTURE":
            format = .sdmxCSV2
            flowColumn = try header.require("STRUCTURE_ID", file: file)
            actionColumn = header.column("ACTION")
            skip = ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
        default:
            throw IngestError(.invalidStructure, file: file, line: header.line, column: 1,
                              reason: "not SDMX-CSV: the first column is \"\(header.names.first ?? "")\"",
                              hint: "SDMX-CSV 1.0 starts with DATAFLOW, 2.0 with STRUCTURE,STRUCTURE_ID")
        }
        var roles: [SourceField: Int] = [:]
        roles[.period] = try header.require("TIME_PERIOD", file: file)
        roles[.value] = try header.require("OBS_VALUE", file: file)
        if mapping?.defaultRegion == nil { roles[.region] = try header.require("REF_AREA", file: file) }
        var dims: [(String, Int)] = []
        for (i, key) in header.keys.enumerated() where !skip.contains(key) {
            if let role = SDMXCSVReader.roleColumns[key] { roles[role] = i } else { dims.append((key, i)) }
        }
        self.roles = roles
        dimensionColumns = dims
        csv.expectedFieldCount = header.count
        csv.headerLine = header.line
    }

    /// Opens `path` as SDMX-CSV.
    public convenience init(path: String, mapping: SDMXMapping? = nil, displayName: String? = nil, limits: CSVLimits = .default) throws(IngestError) {
        try self.init(csv: CSVReader(path: path, displayName: displayName, limits: limits), mapping: mapping)
    }

    /// The code part of an SDMX-CSV "id: label" text.
    static func code(_ text: String) -> String {
        let t = text.trimmingWhitespace()
        guard let r = t.firstRange(of: ": ") else { return t }
        return String(t[..<r.lowerBound]).trimmingWhitespace()
    }

    public func next() throws(IngestError) -> SourceObservation? {
        while let record = try csv.next() {
            if record.isEmpty { skippedRecordCount += 1; continue }
            dataRows += 1
            let cell: (Int) -> String = { [labelled] i in
                labelled ? SDMXCSVReader.code(record.fields[i]) : record.fields[i].trimmingWhitespace()
            }
            let flow = cell(flowColumn)
            dataflows.insert(flow)
            let flowID = SDMXDataflowRef(flow).id
            var codes: [String: String] = [:]
            var fields: [SourceField: FieldLocation] = [:]
            for (name, column) in dimensionColumns {
                let v = cell(column)
                if !v.isEmpty { codes[name] = v }
            }
            for (role, column) in roles { fields[role] = header.location(column, in: record) }
            func role(_ r: SourceField) -> String? {
                guard let i = roles[r] else { return nil }
                let v = cell(i)
                return v.isEmpty ? nil : v
            }
            let rawUnit = role(.unit)
            var indicator: String
            var unit = rawUnit.map { mapping?.units[$0] ?? $0 }
            var dimensions: [String: String]
            switch mapping?.apply(flowID: flowID, codes: codes, unit: rawUnit) {
            case let .mapped(code, mappedUnit, dims)?:
                indicator = code
                unit = mappedUnit
                dimensions = dims
            case .unmatched?:
                switch mapping!.unmatched {
                case .skip: skippedRecordCount += 1; continue
                case .error:
                    throw IngestError(.unmappedRow, file: csv.fileName, line: record.line, column: 1,
                                      reason: "no mapping rule matches this row (dataflow \(flowID))")
                case .keep:
                    indicator = SDMXCSVReader.defaultIndicator(flowID, codes)
                    dimensions = mapping!.filter(SDMXCSVReader.withoutIndicatorCode(codes))
                }
            case nil:
                indicator = SDMXCSVReader.defaultIndicator(flowID, codes)
                dimensions = SDMXCSVReader.withoutIndicatorCode(codes)
            }
            for name in dimensions.keys {
                if let i = dimensionColumns.first(where: { $0.name == name })?.column { fields[.dimension(name)] = header.location(i, in: record) }
            }
            let region = role(.region).map { mapping?.regions[$0] ?? $0 } ?? mapping?.defaultRegion ?? ""
            let action = actionColumn.map { SDMXCSVReader.action(cell($0)) } ?? nil
            if let actionColumn { fields[.action] = header.location(actionColumn, in: record) }
            return SourceObservation(
                indicator: indicator, region: region, period: role(.period) ?? "", value: role(.value) ?? "",
                unit: unit, unitMultiplier: role(.unitMultiplier), status: role(.status), action: action,
                dimensions: dimensions, dataflow: flow,
                location: SourceLocation(file: csv.fileName, record: record.number, line: record.line, fields: fields))
        }
        if dataRows == 0 { throw headerOnlyError(file: csv.fileName, headerLine: header.line) }
        return nil
    }

    /// `<dataflow id>.<INDICATOR or MEASURE>` or the dataflow id alone; a code that already
    /// starts with `<dataflow id>.` is the whole indicator code (Almanac's own exports write
    /// `ALMANAC:gdp(1.0)` with `gdp.grdp_growth`) and is taken as it is.
    /// The codes without the one ``defaultIndicator(_:_:)`` made the indicator of
    /// (`INDICATOR`, else `MEASURE`): it names the indicator, it is not a breakdown.
    static func withoutIndicatorCode(_ codes: [String: String]) -> [String: String] {
        var rest = codes
        if rest.removeValue(forKey: "INDICATOR") == nil { rest.removeValue(forKey: "MEASURE") }
        return rest
    }

    static func defaultIndicator(_ flowID: String, _ codes: [String: String]) -> String {
        if let measure = codes["INDICATOR"] ?? codes["MEASURE"] {
            return measure.hasPrefix(flowID + ".") ? measure : flowID + "." + measure
        }
        return flowID
    }

    /// SDMX action letters (and SDMX-JSON action words) to Almanac actions.
    static func action(_ text: String) -> String? {
        switch text.uppercased() {
        case "": return nil
        case "I", "A", "R", "INFORMATION", "APPEND", "REPLACE": return "report"
        case "D", "DELETE": return "retract"
        default: return text
        }
    }
}

/// An SDMX structure reference `AGENCY:ID(VERSION)`, parsed leniently: text without
/// the punctuation is taken as the id.
public struct SDMXDataflowRef: Sendable, Equatable {
    public var agency: String?
    public var id: String
    public var version: String?

    public init(_ text: String) {
        var rest = Substring(text.trimmingWhitespace())
        if let colon = rest.firstIndex(of: ":") {
            agency = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if let open = rest.firstIndex(of: "("), rest.hasSuffix(")") {
            version = String(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)])
            rest = rest[..<open]
        }
        id = String(rest)
    }
}
