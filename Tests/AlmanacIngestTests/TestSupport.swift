import Foundation
@testable import AlmanacIngest

/// Folder of checked-in fixtures, found from this file's path (no test resources).
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
/// The repository's `mappings/` folder.
let mappingsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mappings")

/// Reads every record of a CSV given as bytes.
func records(_ bytes: [UInt8], name: String = "t.csv", delimiter: UInt8? = nil, limits: CSVLimits = .default,
             expect width: Int? = nil) throws(IngestError) -> [CSVRecord] {
    let reader = try CSVReader(source: ByteSource(bytes: bytes, displayName: name), delimiter: delimiter, limits: limits)
    var out: [CSVRecord] = []
    while let r = try reader.next() {
        out.append(r)
        if out.count == 1, let width { reader.expectedFieldCount = width }
    }
    return out
}

func records(_ text: String, name: String = "t.csv", limits: CSVLimits = .default, expect width: Int? = nil) throws(IngestError) -> [CSVRecord] {
    try records(Array(text.utf8), name: name, limits: limits, expect: width)
}

/// The error reading `bytes` throws, or `nil`.
func csvError(_ bytes: [UInt8], limits: CSVLimits = .default, expect width: Int? = nil) -> IngestError? {
    do { _ = try records(bytes, limits: limits, expect: width); return nil } catch { return error }
}

func csvError(_ text: String, limits: CSVLimits = .default, expect width: Int? = nil) -> IngestError? {
    csvError(Array(text.utf8), limits: limits, expect: width)
}

/// Drains a reader.
func drain(_ reader: any ObservationReader) throws(IngestError) -> [SourceObservation] {
    var out: [SourceObservation] = []
    while let o = try reader.next() { out.append(o) }
    return out
}

/// Writes `bytes` to a fresh temporary file and returns its path.
func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-ingest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func loadMapping(_ file: String) throws -> SourceMapping {
    try SourceMapping.load(path: mappingsFolder.appendingPathComponent(file).path)
}
