/// Maps SDMX codes to Almanac codes: which dataflow and dimension codes mean which
/// indicator, and how region and unit codes translate. Used by the SDMX-CSV and
/// SDMX-JSON readers. Documented in `docs/formats/px-web-mapping.md` (§ SDMX mappings).
public struct SDMXMapping: Sendable, Equatable {
    /// What to do with a row no rule matches.
    public enum Unmatched: String, Sendable {
        /// Keep it with the default indicator `<dataflow id>.<INDICATOR or MEASURE>`.
        case keep
        /// Leave it out and count it in `skippedRecordCount`.
        case skip
        /// Reject the file.
        case error
    }

    /// One rule: when every `match` dimension has the given code, the row is `indicator`.
    public struct Rule: Sendable, Equatable {
        public var match: [String: String]
        public var indicator: String
        /// Unit to report, overriding the unit column and `units`.
        public var unit: String?
        /// Dimensions to add (Almanac breakdowns such as `item`).
        public var dimensions: [String: String]

        public init(match: [String: String], indicator: String, unit: String? = nil, dimensions: [String: String] = [:]) {
            self.match = match
            self.indicator = indicator
            self.unit = unit
            self.dimensions = dimensions
        }
    }

    public var name: String?
    /// Dataflow id this mapping is for (`DF_GOV_CORE_RESULTS`); rows of other dataflows
    /// are unmatched. `nil` accepts any.
    public var dataflow: String?
    public var rules: [Rule]
    public var unmatched: Unmatched
    /// SDMX region code → Almanac region code; codes not listed pass through unchanged.
    public var regions: [String: String]
    /// SDMX unit code → Almanac unit; codes not listed pass through unchanged.
    public var units: [String: String]
    /// Region used when the data has no `REF_AREA` (e.g. a national dataflow).
    public var defaultRegion: String?
    /// Dimensions never copied into `dimensions` (e.g. `FREQ`).
    public var dropDimensions: Set<String>
    /// Codes that mean "no breakdown" (`_T` total, `_Z` not applicable): a dimension
    /// with one of these is left out.
    public var dropValues: Set<String>

    public init(name: String? = nil, dataflow: String? = nil, rules: [Rule], unmatched: Unmatched = .keep,
                regions: [String: String] = [:], units: [String: String] = [:], defaultRegion: String? = nil,
                dropDimensions: Set<String> = [], dropValues: Set<String> = []) {
        self.name = name
        self.dataflow = dataflow
        self.rules = rules
        self.unmatched = unmatched
        self.regions = regions
        self.units = units
        self.defaultRegion = defaultRegion
        self.dropDimensions = dropDimensions
        self.dropValues = dropValues
    }

    init(_ node: MappingNode) throws(IngestError) {
        name = try node.optionalString("name")
        dataflow = try node.optionalString("dataflow")
        let policy = try node.optionalString("unmatched") ?? "keep"
        guard let u = Unmatched(rawValue: policy) else { throw node.error("\"unmatched\" must be keep, skip or error") }
        unmatched = u
        regions = try node.stringMap("regions").nonNull
        units = try node.stringMap("units").nonNull
        defaultRegion = try node.optionalString("defaultRegion")
        dropDimensions = Set(try node.stringArray("dropDimensions"))
        dropValues = Set(try node.stringArray("dropValues"))
        var rules: [Rule] = []
        for r in try node.array("indicators") {
            let match = try r.stringMap("match").nonNull
            if match.isEmpty { throw r.error("\"match\" must name at least one dimension") }
            rules.append(Rule(match: match, indicator: try r.string("indicator"), unit: try r.optionalString("unit"),
                              dimensions: try r.stringMap("dimensions").nonNull))
        }
        self.rules = rules
    }

    /// The outcome of applying the mapping to one SDMX row.
    enum Outcome {
        case mapped(indicator: String, unit: String?, dimensions: [String: String])
        case unmatched
    }

    /// Finds the rule for a row of dataflow `flowID` with SDMX `codes`, and returns the
    /// indicator and the dimensions left after removing those the rule matched.
    func apply(flowID: String?, codes: [String: String], unit: String?) -> Outcome {
        if let dataflow, let flowID, dataflow != flowID { return .unmatched }
        guard let rule = rules.first(where: { $0.match.allSatisfy { codes[$0.key] == $0.value } }) else { return .unmatched }
        var dims = filter(codes)
        for key in rule.match.keys { dims[key] = nil }
        dims.merge(rule.dimensions) { _, new in new }
        return .mapped(indicator: rule.indicator, unit: rule.unit ?? unit.map { units[$0] ?? $0 }, dimensions: dims)
    }

    /// Codes without dropped dimensions and "no breakdown" values.
    func filter(_ codes: [String: String]) -> [String: String] {
        codes.filter { !dropDimensions.contains($0.key) && !dropValues.contains($0.value) }
    }
}
