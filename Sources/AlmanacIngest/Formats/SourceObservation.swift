/// One observation as an agency file states it: raw text only, with where each piece
/// came from. Nothing here is validated; a later stage resolves region names, parses
/// periods and decimals, checks units and scopes, and reports problems using `location`.
public struct SourceObservation: Sendable, Equatable {
    /// Indicator code (native CSV), or the code a mapping chose, or for unmapped SDMX
    /// `<dataflow id>.<INDICATOR or MEASURE>`.
    public var indicator: String
    /// Region code or name as written (`19`, `Thái Nguyên`, `WHOLE COUNTRY`, `AT`).
    public var region: String
    /// Period as written (`2021-H1`, `2015`, `2013-01-18`).
    public var period: String
    /// Value as written (`1234.5`, `2613.0`, `..`); never converted to a float.
    public var value: String
    public var unit: String?
    /// SDMX `UNIT_MULT` (a power of ten) kept apart from the unit.
    public var unitMultiplier: String?
    public var status: String?
    public var releaseDate: String?
    /// `report` or `retract` for the SDMX actions it knows (I/A/R → report, D →
    /// retract); other text as written; `nil` when the file has no action.
    public var action: String?
    /// Breakdown dimensions by name (`group`, `item`, `source`, `MEASURE`, `AGE`...).
    public var dimensions: [String: String]
    /// SDMX dataflow as written (`OECD:DF_GOV_CORE_RESULTS(2.0)`), if any.
    public var dataflow: String?
    public var location: SourceLocation

    public init(indicator: String, region: String, period: String, value: String, unit: String? = nil,
                unitMultiplier: String? = nil, status: String? = nil, releaseDate: String? = nil,
                action: String? = nil, dimensions: [String: String] = [:], dataflow: String? = nil,
                location: SourceLocation) {
        self.indicator = indicator
        self.region = region
        self.period = period
        self.value = value
        self.unit = unit
        self.unitMultiplier = unitMultiplier
        self.status = status
        self.releaseDate = releaseDate
        self.action = action
        self.dimensions = dimensions
        self.dataflow = dataflow
        self.location = location
    }
}

/// Which part of an observation a located field holds.
public enum SourceField: Sendable, Hashable, CustomStringConvertible {
    case indicator, region, period, value, unit, unitMultiplier, status, releaseDate, action
    case dimension(String)

    public var description: String {
        switch self {
        case .indicator: return "indicator"
        case .region: return "region"
        case .period: return "period"
        case .value: return "value"
        case .unit: return "unit"
        case .unitMultiplier: return "unit multiplier"
        case .status: return "status"
        case .releaseDate: return "release date"
        case .action: return "action"
        case let .dimension(name): return name
        }
    }
}

/// Where one field of an observation was read: its column header, 1-based column
/// number in the table, and the line and character column where the cell begins.
public struct FieldLocation: Sendable, Equatable {
    public var header: String
    public var columnNumber: Int
    public var position: TextPosition

    public init(header: String, columnNumber: Int, position: TextPosition) {
        self.header = header
        self.columnNumber = columnNumber
        self.position = position
    }
}

/// Where an observation came from in its file.
///
/// CSV formats give a record number, a line and per-field locations; SDMX-JSON has no
/// useful lines, so it gives a `path` into the message instead.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    /// Display name of the file.
    public var file: String
    /// 1-based record number (header and preamble records included), or the index of
    /// the observation in a JSON message.
    public var record: Int
    /// Physical line where the record begins; `nil` for JSON messages.
    public var line: Int?
    public var fields: [SourceField: FieldLocation]
    /// For JSON messages: e.g. `dataSets[0].series["0:1"].observations["3"]`.
    public var path: String?

    public init(file: String, record: Int, line: Int?, fields: [SourceField: FieldLocation] = [:], path: String? = nil) {
        self.file = file
        self.record = record
        self.line = line
        self.fields = fields
        self.path = path
    }

    /// `file:line:column` for `field` when known, else `file:line`, else `file: path`.
    public func describe(_ field: SourceField) -> String {
        if let f = fields[field] { return "\(file):\(f.position.line):\(f.position.column)" }
        if let line { return "\(file):\(line)" }
        return "\(file): \(path ?? "record \(record)")"
    }

    public var description: String {
        if let line { return "\(file):\(line)" }
        return "\(file): \(path ?? "record \(record)")"
    }
}
