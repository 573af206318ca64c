import AlmanacLog

/// A mapping file: how to turn the codes and headers of a foreign format into Almanac
/// observations. Both kinds are JSON objects with `"format"` and `"version": 1`; the
/// format is documented in `docs/formats/px-web-mapping.md`.
public enum SourceMapping: Sendable {
    case sdmx(SDMXMapping)
    case pxWeb(PXWebMapping)

    /// Parses a mapping file's bytes.
    ///
    /// - Parameters:
    ///   - bytes: the JSON text.
    ///   - name: the mapping's display name for errors.
    /// - Throws: `IngestError` of kind `.invalidMapping` naming the line and column (for
    ///   JSON syntax) or the JSON path (for a wrong or missing member).
    public static func parse(_ bytes: [UInt8], name: String) throws(IngestError) -> SourceMapping {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw IngestError(.invalidMapping, file: name, line: error.line, column: error.column, reason: error.reason)
        }
        let root = MappingNode(json, path: "$", file: name)
        var version = root.value["version"]?.numberText
        if version == nil { version = try root.optionalString("version") }
        guard version == nil || version == "1" else {
            throw root.error("unsupported mapping version \(version!); this build reads version 1")
        }
        switch try root.string("format") {
        case "sdmx", "sdmx-csv", "sdmx-json": return .sdmx(try SDMXMapping(root))
        case "px-web": return .pxWeb(try PXWebMapping(root))
        case let other: throw root.error("unknown mapping format \"\(other)\" (expected \"sdmx\" or \"px-web\")")
        }
    }

    /// Reads and parses a mapping file.
    public static func load(path: String) throws(IngestError) -> SourceMapping {
        let source = try ByteSource(path: path)
        return try parse(try source.readAll(maxBytes: 4 << 20), name: source.displayName)
    }
}

/// A JSON value inside a mapping file, with its path for error messages.
struct MappingNode {
    let value: JSONValue
    let path: String
    let file: String

    init(_ value: JSONValue, path: String, file: String) {
        self.value = value
        self.path = path
        self.file = file
    }

    func error(_ reason: String) -> IngestError {
        IngestError(.invalidMapping, file: file, reason: "\(path): \(reason)")
    }

    func child(_ key: String) -> MappingNode? {
        value[key].map { MappingNode($0, path: path + "." + key, file: file) }
    }

    func string(_ key: String) throws(IngestError) -> String {
        guard let s = try optionalString(key) else { throw error("missing string member \"\(key)\"") }
        return s
    }

    func optionalString(_ key: String) throws(IngestError) -> String? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let s = v.stringValue else { throw error("\"\(key)\" must be a string, not \(v.kindName)") }
        return s
    }

    func optionalInt(_ key: String) throws(IngestError) -> Int? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let i = v.intValue else { throw error("\"\(key)\" must be an integer") }
        return i
    }

    func optionalBool(_ key: String) throws(IngestError) -> Bool? {
        guard let v = value[key], !v.isNull else { return nil }
        guard let b = v.boolValue else { throw error("\"\(key)\" must be true or false") }
        return b
    }

    /// An object of strings (`{"AT": "AT", ...}`); `nil` values allowed when `nullable`
    /// (they come back as `nil` entries).
    func stringMap(_ key: String, nullable: Bool = false) throws(IngestError) -> [String: String?] {
        guard let v = value[key], !v.isNull else { return [:] }
        guard let members = v.objectValue else { throw error("\"\(key)\" must be an object") }
        var out: [String: String?] = [:]
        for (k, item) in members {
            if let s = item.stringValue { out[k] = .some(s) } else if nullable && item.isNull { out[k] = .some(nil) } else {
                throw error("\"\(key)\".\"\(k)\" must be a string\(nullable ? " or null" : "")")
            }
        }
        return out
    }

    func stringArray(_ key: String) throws(IngestError) -> [String] {
        guard let v = value[key], !v.isNull else { return [] }
        guard let items = v.arrayValue else { throw error("\"\(key)\" must be an array of strings") }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw error("\"\(key)\" must be an array of strings") }
            out.append(s)
        }
        return out
    }

    func array(_ key: String) throws(IngestError) -> [MappingNode] {
        guard let v = value[key], !v.isNull else { return [] }
        guard let items = v.arrayValue else { throw error("\"\(key)\" must be an array") }
        return items.enumerated().map { MappingNode($1, path: "\(path).\(key)[\($0)]", file: file) }
    }
}

extension Dictionary where Value == String? {
    /// Drops the optional layer, keeping only non-null entries.
    var nonNull: [Key: String] { compactMapValues { $0 } }
}
