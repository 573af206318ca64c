import AlmanacLog

/// One observation decoded from an SDMX-JSON message, before any mapping.
struct SDMXRawObservation {
    var codes: [String: String]
    var attributes: [String: String]
    /// Number text or string; `nil` for a JSON `null`.
    var value: String?
    var dataflow: String?
    var action: String?
    var ordinal: Int
    var path: String
}

/// Walks the data sets of an SDMX-JSON message one observation at a time.
struct SDMXJSONCursor {
    /// A dimension or attribute: its id and the ids (or texts) of its values.
    struct Component {
        var id: String
        var values: [String?]
    }

    /// The resolved structure a data set refers to.
    struct Structure {
        var dataflow: String?
        var dataSetDims: [Component] = []
        var seriesDims: [Component] = []
        var observationDims: [Component] = []
        var dataSetAttrs: [Component] = []
        var seriesAttrs: [Component] = []
        var observationAttrs: [Component] = []
    }

    let file: String
    private(set) var dataflows: Set<String> = []
    /// Every observation's location, in document order: (data set, series key, obs key).
    private var work: [(dataSet: Int, series: String?, seriesValue: JSONValue?, key: String, value: JSONValue)] = []
    private var index = 0
    private var structures: [Structure] = []
    private var dataSetStructure: [Int] = []
    private var dataSetActions: [String?] = []

    init(root: JSONValue, file: String) throws(IngestError) {
        self.file = file
        guard let data = root["data"] else { throw Self.error(file, "$", "missing \"data\"") }
        guard let structs = data["structures"]?.arrayValue ?? data["structure"].map({ [$0] }) else {
            throw Self.error(file, "$.data", "missing \"structures\"")
        }
        for (i, s) in structs.enumerated() { structures.append(try Self.structure(s, path: "$.data.structures[\(i)]", file: file)) }
        for s in structures { if let d = s.dataflow { dataflows.insert(d) } }
        guard let sets = data["dataSets"]?.arrayValue else { throw Self.error(file, "$.data", "missing \"dataSets\"") }
        for (d, set) in sets.enumerated() {
            let si = set["structure"]?.intValue ?? 0
            guard structures.indices.contains(si) else { throw Self.error(file, "$.data.dataSets[\(d)]", "structure \(si) does not exist") }
            dataSetStructure.append(si)
            dataSetActions.append(set["action"]?.stringValue)
            if let series = set["series"]?.objectValue {
                for (key, s) in series {
                    for (ok, ov) in s["observations"]?.objectValue ?? [] { work.append((d, key, s, ok, ov)) }
                }
            }
            for (ok, ov) in set["observations"]?.objectValue ?? [] { work.append((d, nil, nil, ok, ov)) }
        }
    }

    mutating func next() throws(IngestError) -> SDMXRawObservation? {
        guard index < work.count else { return nil }
        let w = work[index]
        index += 1
        let s = structures[dataSetStructure[w.dataSet]]
        let path = "dataSets[\(w.dataSet)]" + (w.series.map { ".series[\"\($0)\"]" } ?? "") + ".observations[\"\(w.key)\"]"
        var codes: [String: String] = [:]
        var attributes: [String: String] = [:]
        for dim in s.dataSetDims { if let v = dim.values.first ?? nil { codes[dim.id] = v } }
        for attr in s.dataSetAttrs { if let v = attr.values.first ?? nil { attributes[attr.id] = v } }
        if let key = w.series {
            try Self.decodeKey(key, dims: s.seriesDims, into: &codes, file: file, path: path)
            let idx = w.seriesValue?["attributes"]?.arrayValue ?? []
            Self.decodeAttributes(idx, attrs: s.seriesAttrs, into: &attributes)
        }
        try Self.decodeKey(w.key, dims: s.observationDims, into: &codes, file: file, path: path)
        guard let items = w.value.arrayValue, let first = items.first else {
            throw Self.error(file, path, "an observation must be an array [value, attributes...]")
        }
        let value: String?
        switch first {
        case let .number(text): value = text
        case let .string(text): value = text
        case .null: value = nil
        default: throw Self.error(file, path, "the value must be a number, a string or null, not \(first.kindName)")
        }
        Self.decodeAttributes(Array(items.dropFirst()), attrs: s.observationAttrs, into: &attributes)
        return SDMXRawObservation(codes: codes, attributes: attributes, value: value, dataflow: s.dataflow,
                                  action: dataSetActions[w.dataSet], ordinal: index, path: path)
    }

    /// Resolves `"0:1:2"` against `dims` (in their listed order).
    private static func decodeKey(_ key: String, dims: [Component], into codes: inout [String: String], file: String, path: String) throws(IngestError) {
        let parts = key.isEmpty ? [] : key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == dims.count else {
            throw error(file, path, "key \"\(key)\" has \(parts.count) positions, the structure has \(dims.count) dimensions")
        }
        for (part, dim) in zip(parts, dims) {
            guard let i = Int(part), dim.values.indices.contains(i), let v = dim.values[i] else {
                throw error(file, path, "key \"\(key)\": no value \(part) for dimension \(dim.id)")
            }
            codes[dim.id] = v
        }
    }

    /// Resolves attribute value indexes; indexes with no attribute or value are ignored.
    private static func decodeAttributes(_ indexes: [JSONValue], attrs: [Component], into out: inout [String: String]) {
        for (k, idx) in indexes.enumerated() where k < attrs.count {
            if let i = idx.intValue, attrs[k].values.indices.contains(i), let v = attrs[k].values[i] { out[attrs[k].id] = v }
        }
    }

    private static func structure(_ s: JSONValue, path: String, file: String) throws(IngestError) -> Structure {
        var out = Structure()
        let links = (s["links"]?.arrayValue ?? [])
        if let urn = links.first(where: { $0["rel"]?.stringValue == "dataflow" })?["urn"]?.stringValue,
           let eq = urn.lastIndex(of: "=") {
            out.dataflow = String(urn[urn.index(after: eq)...])
        }
        guard let dims = s["dimensions"] else { throw error(file, path, "missing \"dimensions\"") }
        out.dataSetDims = try components(dims["dataSet"], path: path + ".dimensions.dataSet", file: file)
        out.seriesDims = try components(dims["series"], path: path + ".dimensions.series", file: file)
        out.observationDims = try components(dims["observation"], path: path + ".dimensions.observation", file: file)
        let attrs = s["attributes"]
        out.dataSetAttrs = try components(attrs?["dataSet"], path: path + ".attributes.dataSet", file: file)
        out.seriesAttrs = try components(attrs?["series"], path: path + ".attributes.series", file: file)
        out.observationAttrs = try components(attrs?["observation"], path: path + ".attributes.observation", file: file)
        return out
    }

    private static func components(_ list: JSONValue?, path: String, file: String) throws(IngestError) -> [Component] {
        guard let list, !list.isNull else { return [] }
        guard let items = list.arrayValue else { throw error(file, path, "must be an array") }
        var out: [Component] = []
        for (i, item) in items.enumerated() {
            guard let id = item["id"]?.stringValue else { throw error(file, "\(path)[\(i)]", "missing \"id\"") }
            let values = (item["values"]?.arrayValue ?? []).map { v in v["id"]?.stringValue ?? v["value"]?.stringValue ?? v["value"]?.numberText }
            var component = Component(id: id, values: values)
            if values.isEmpty, let d = item["default"]?.stringValue { component.values = [d] }
            out.append(component)
        }
        return out
    }

    private static func error(_ file: String, _ path: String, _ reason: String) -> IngestError {
        IngestError(.invalidStructure, file: file, reason: "\(path): \(reason)")
    }
}
