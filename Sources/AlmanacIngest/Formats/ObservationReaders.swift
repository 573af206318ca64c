/// Opens the right reader for a file.
public enum ObservationReaders {
    /// Opens `path` as `format` (detected from the content when `nil`).
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - format: the format, or `nil` to detect it.
    ///   - mapping: required for PX-Web; optional for SDMX; ignored for native CSV.
    ///   - displayName: the name errors show.
    ///   - limits: CSV limits (the file size limit also bounds JSON).
    /// - Throws: `IngestError`, e.g. `.invalidMapping` for a PX-Web file without a
    ///   PX-Web mapping.
    public static func open(path: String, format: SourceFormat? = nil, mapping: SourceMapping? = nil,
                            displayName: String? = nil, limits: CSVLimits = .default) throws(IngestError) -> any ObservationReader {
        let source = try ByteSource(path: path, displayName: displayName)
        let chosen: SourceFormat
        if let format {
            chosen = format
        } else {
            let probe = try ByteSource(path: path, displayName: displayName)
            let head = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 << 10, alignment: 16)
            defer { head.deallocate() }
            let n = try probe.read(into: head)
            chosen = FormatDetector.detect(headBytes: Array(head[0..<n]))
        }
        var sdmx: SDMXMapping?
        var px: PXWebMapping?
        switch mapping {
        case let .sdmx(m)?: sdmx = m
        case let .pxWeb(m)?: px = m
        case nil: break
        }
        switch chosen {
        case .nativeCSV:
            return try NativeCSVReader(csv: CSVReader(source: source, limits: limits))
        case .sdmxCSV1, .sdmxCSV2:
            return try SDMXCSVReader(csv: CSVReader(source: source, limits: limits), mapping: sdmx)
        case .pxWeb:
            guard let px else {
                throw IngestError(.invalidMapping, file: source.displayName, reason: "a PX-Web export needs a px-web mapping file",
                                  hint: "see docs/formats/px-web-mapping.md and the files in mappings/")
            }
            let delimiter = px.delimiter.map { UInt8(ascii: $0.unicodeScalars.first!) }
            return try PXWebReader(csv: CSVReader(source: source, delimiter: delimiter, limits: limits), mapping: px)
        case .sdmxJSON:
            let bytes = try source.readAll(maxBytes: Int(min(limits.fileBytesMax, Int64(Int.max))))
            return try SDMXJSONReader(bytes: bytes, fileName: source.displayName, mapping: sdmx)
        }
    }
}
