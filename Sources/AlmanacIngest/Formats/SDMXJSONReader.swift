import AlmanacLog

/// Reads SDMX-JSON 2.0 data messages: `meta`, `data.structures[]` (dimensions and
/// attributes at dataSet, series and observation level) and `data.dataSets[]` with
/// either `series` (`"0:1"` → `observations` `"3"` → `[value, attribute indexes...]`)
/// or flat `observations` keyed by every dimension.
///
/// Dimension codes go to `dimensions` by id (`TIME_PERIOD` → period, `REF_AREA` →
/// region); attributes `OBS_STATUS`, `UNIT_MEASURE`, `UNIT_MULT` fill status, unit and
/// multiplier; other attributes (titles, time formats) are not observation data. An
/// attribute index beyond the structure's list (the ECB sample has one) is ignored. A
/// `null` value is a missing observation and is counted in `skippedRecordCount`.
///
/// The message is parsed whole (bounded by `maxBytes`); observations are then produced
/// one at a time.
public final class SDMXJSONReader: ObservationReader {
    public let format = SourceFormat.sdmxJSON
    public let fileName: String
    public private(set) var skippedRecordCount = 0
    public private(set) var dataflows: Set<String> = []
    /// `meta.sender`: who the message says sent it.
    public let sender: SDMXParty?
    /// `meta.test`: true for test messages, which should not reach production data.
    public let isTest: Bool

    private let mapping: SDMXMapping?
    private var pending: [SourceObservation] = []
    private var cursor: SDMXJSONCursor

    /// Parses the message.
    ///
    /// - Parameters:
    ///   - bytes: the JSON text (a UTF-8 BOM is tolerated).
    ///   - fileName: display name for errors and locations.
    ///   - mapping: optional code mapping.
    /// - Throws: `IngestError` of kind `.invalidJSON` (with line and column) or
    ///   `.invalidStructure` (with the JSON path).
    public init(bytes: [UInt8], fileName: String, mapping: SDMXMapping? = nil) throws(IngestError) {
        self.fileName = fileName
        self.mapping = mapping
        var body = bytes
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body.removeFirst(3) }
        if body.isEmpty { throw IngestError(.emptyFile, file: fileName, reason: "file is empty") }
        let root: JSONValue
        do {
            root = try JSONParser.parse(body)
        } catch {
            throw IngestError(.invalidJSON, file: fileName, line: error.line, column: error.column, reason: error.reason)
        }
        if let s = root["meta"]?["sender"], let id = s["id"]?.stringValue {
            sender = SDMXParty(id: id, name: s["name"]?.stringValue)
        } else {
            sender = nil
        }
        isTest = root["meta"]?["test"]?.boolValue ?? false
        cursor = try SDMXJSONCursor(root: root, file: fileName)
        dataflows = cursor.dataflows
    }

    /// Reads and parses `path`, refusing files over `maxBytes`.
    public convenience init(path: String, mapping: SDMXMapping? = nil, displayName: String? = nil, maxBytes: Int = 256 << 20) throws(IngestError) {
        let source = try ByteSource(path: path, displayName: displayName)
        try self.init(bytes: try source.readAll(maxBytes: maxBytes), fileName: source.displayName, mapping: mapping)
    }

    public func next() throws(IngestError) -> SourceObservation? {
        while let raw = try cursor.next() {
            guard let value = raw.value else { skippedRecordCount += 1; continue }
            var codes = raw.codes
            let period = codes.removeValue(forKey: "TIME_PERIOD") ?? ""
            let area = codes.removeValue(forKey: "REF_AREA")
            let flowID = raw.dataflow.map { SDMXDataflowRef($0).id } ?? ""
            let rawUnit = raw.attributes["UNIT_MEASURE"]
            var indicator = SDMXCSVReader.defaultIndicator(flowID, codes)
            var unit = rawUnit.map { mapping?.units[$0] ?? $0 }
            var dimensions = codes
            if let mapping {
                switch mapping.apply(flowID: flowID, codes: codes, unit: rawUnit) {
                case let .mapped(code, mappedUnit, dims):
                    indicator = code
                    unit = mappedUnit
                    dimensions = dims
                case .unmatched:
                    switch mapping.unmatched {
                    case .skip: skippedRecordCount += 1; continue
                    case .error:
                        throw IngestError(.unmappedRow, file: fileName, reason: "\(raw.path): no mapping rule matches this observation")
                    case .keep: dimensions = mapping.filter(codes)
                    }
                }
            }
            let region = area.map { mapping?.regions[$0] ?? $0 } ?? mapping?.defaultRegion ?? ""
            return SourceObservation(
                indicator: indicator, region: region, period: period, value: value, unit: unit,
                unitMultiplier: raw.attributes["UNIT_MULT"], status: raw.attributes["OBS_STATUS"],
                action: raw.action.flatMap { SDMXCSVReader.action($0) }, dimensions: dimensions, dataflow: raw.dataflow,
                location: SourceLocation(file: fileName, record: raw.ordinal, line: nil, path: raw.path))
        }
        return nil
    }
}
