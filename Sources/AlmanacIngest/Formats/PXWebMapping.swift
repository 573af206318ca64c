/// How to read a GSO PX-Web export: which header columns hold which indicator, unit,
/// dimensions and period; what the row label means; which labels are subtotals; which
/// cells mean "missing". Documented in `docs/formats/px-web-mapping.md`.
public struct PXWebMapping: Sendable, Equatable {
    /// One rule for header columns.
    public struct Column: Sendable, Equatable {
        /// Exact header text (after trimming and removing footnote markers), or...
        public var header: String?
        /// ...a regular expression the whole header must match. A group named `period`
        /// gives the period; a group named `status` gives the status, through `statuses`.
        public var headerPattern: String?
        public var indicator: String
        public var unit: String?
        /// Fixed period when the header carries none.
        public var period: String?
        public var dimensions: [String: String]
        /// Captured `status` text → Almanac status (`"Pre": "preliminary"`).
        public var statuses: [String: String]
        /// Status when the header captures none (e.g. `final` for final accounts).
        public var status: String?

        public init(header: String? = nil, headerPattern: String? = nil, indicator: String, unit: String? = nil,
                    period: String? = nil, dimensions: [String: String] = [:], statuses: [String: String] = [:],
                    status: String? = nil) {
            self.header = header
            self.headerPattern = headerPattern
            self.indicator = indicator
            self.unit = unit
            self.period = period
            self.dimensions = dimensions
            self.statuses = statuses
            self.status = status
        }
    }

    /// What the row label (the first column, or `labelColumn`) names.
    public enum RowLabel: Sendable, Equatable {
        /// The label is a region name (provinces, with subtotal rows among them).
        case region
        /// The label is a dimension value (e.g. a budget item); every row has `region`.
        case dimension(name: String, region: String)
    }

    public var name: String?
    /// 1-based column holding the row label.
    public var labelColumn: Int
    public var rowLabel: RowLabel
    public var columns: [Column]
    /// Header patterns of columns to leave out on purpose (e.g. percent structure).
    public var ignoreColumns: [String]
    /// Subtotal labels (compared case-insensitively): a string keeps the row with that
    /// text in place of the label (`"WHOLE COUNTRY": "VN"`); `null` skips the row.
    public var subtotals: [String: String?]
    /// Other row labels (compared like `subtotals`) → the text to use instead: the code
    /// of a breakdown value (`"Fees": "fees"`) or of a region; `null` skips the row. Rows
    /// renamed here are detail rows, not subtotals.
    public var labels: [String: String?]
    /// Cell texts that mean "no value" (`..`, `-`, empty): no observation is produced.
    public var missingValues: Set<String>
    /// Delimiter, if not detected (`;` in GSO exports).
    public var delimiter: String?

    public init(name: String? = nil, labelColumn: Int = 1, rowLabel: RowLabel = .region, columns: [Column],
                ignoreColumns: [String] = [], subtotals: [String: String?] = [:], labels: [String: String?] = [:],
                missingValues: Set<String> = ["..", ""], delimiter: String? = nil) {
        self.name = name
        self.labelColumn = labelColumn
        self.rowLabel = rowLabel
        self.columns = columns
        self.ignoreColumns = ignoreColumns
        self.subtotals = Dictionary(subtotals.map { (PXWebMapping.labelKey($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.labels = Dictionary(labels.map { (PXWebMapping.labelKey($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.missingValues = missingValues
        self.delimiter = delimiter
    }

    init(_ node: MappingNode) throws(IngestError) {
        var columns: [Column] = []
        for c in try node.array("columns") {
            let header = try c.optionalString("header")
            let pattern = try c.optionalString("headerPattern")
            guard (header == nil) != (pattern == nil) else { throw c.error("give exactly one of \"header\" and \"headerPattern\"") }
            if let pattern { _ = try PXWebMapping.compile(pattern, node: c) }
            let column = Column(header: header, headerPattern: pattern, indicator: try c.string("indicator"),
                                unit: try c.optionalString("unit"), period: try c.optionalString("period"),
                                dimensions: try c.stringMap("dimensions").nonNull, statuses: try c.stringMap("statuses").nonNull,
                                status: try c.optionalString("status"))
            if column.period == nil && !(pattern?.contains("(?<period>") ?? false) {
                throw c.error("a column needs \"period\" or a headerPattern with a group named period")
            }
            columns.append(column)
        }
        if columns.isEmpty { throw node.error("\"columns\" must list at least one column") }
        let ignore = try node.stringArray("ignoreColumns")
        for p in ignore { _ = try PXWebMapping.compile(p, node: node) }
        var rowLabel = RowLabel.region
        if let rows = node.child("rows") {
            switch try rows.optionalString("role") ?? "region" {
            case "region": rowLabel = .region
            case "dimension": rowLabel = .dimension(name: try rows.string("dimension"), region: try rows.string("region"))
            default: throw rows.error("\"role\" must be \"region\" or \"dimension\"")
            }
        }
        let missing = node.value["missingValues"] == nil ? ["..", ""] : try node.stringArray("missingValues")
        self.init(name: try node.optionalString("name"), labelColumn: try node.optionalInt("labelColumn") ?? 1,
                  rowLabel: rowLabel, columns: columns, ignoreColumns: ignore,
                  subtotals: try node.stringMap("subtotals", nullable: true),
                  labels: try node.stringMap("labels", nullable: true), missingValues: Set(missing),
                  delimiter: try node.optionalString("delimiter"))
        if labelColumn < 1 { throw node.error("\"labelColumn\" is 1-based") }
        if let d = delimiter, ![",", ";", "\t"].contains(d) { throw node.error("\"delimiter\" must be \",\", \";\" or a tab") }
        if let both = labels.keys.filter({ subtotals[$0] != nil }).sorted().first {
            throw node.error("row label \"\(both)\" is in both \"subtotals\" and \"labels\"")
        }
    }

    static func compile(_ pattern: String, node: MappingNode) throws(IngestError) -> Regex<AnyRegexOutput> {
        do { return try Regex(pattern) } catch { throw node.error("invalid regular expression \(pattern): \(error)") }
    }

    /// The comparison key of a label: trimmed, footnote markers removed, lowercased.
    static func labelKey(_ label: String) -> String { stripFootnotes(label).lowercased() }

    /// Removes footnote markers such as `(*)` or `(**)` and trims.
    static func stripFootnotes(_ text: String) -> String {
        var s = text.trimmingWhitespace()
        while s.hasSuffix("*)"), let open = s.lastIndex(of: "("),
              s[s.index(after: open)..<s.index(before: s.endIndex)].allSatisfy({ $0 == "*" }) {
            s = String(s[..<open]).trimmingWhitespace()
        }
        return s
    }
}
