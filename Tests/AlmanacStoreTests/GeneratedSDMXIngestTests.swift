import AlmanacDomain
import AlmanacGenerate
import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

/// `almanac generate --format sdmx-csv` writes files that ingest without a mapping file and
/// give the same current values as the native CSV files of the same seed.
@Suite struct GeneratedSDMXIngestTests {
    func load(_ format: GeneratorOptions.Format, _ dir: TemporaryDirectory) throws -> [String: String] {
        let files = URL(fileURLWithPath: dir.file("files-\(format.rawValue)"))
        let summary = try Generator(GeneratorOptions(from: 2021, to: 2021, seed: 7, format: format)).write(to: files)
        let manifest = try JSONDecoder().decode(GenerationManifest.self, from: Data(contentsOf: summary.manifest))
        let store = Store(path: dir.file("store-\(format.rawValue)"))
        store.durability = .none
        try store.initialize()
        try store.registerAgencies(Generator.agencies)
        for f in manifest.files {
            let outcome = try store.ingest(IngestRequest(path: files.appendingPathComponent(f.path).path, agency: f.agency))
            guard case .accepted = outcome else {
                Issue.record("\(f.path) (\(format.rawValue)) was not accepted: \(outcome)")
                continue
            }
        }
        return try ExportSupport.currentValues(store)
    }

    @Test func sdmxFilesGiveTheSameValuesAsNativeOnes() throws {
        let dir = TemporaryDirectory("generated-sdmx")
        let native = try load(.csv, dir)
        let sdmx = try load(.sdmxCSV, dir)
        #expect(native.count > 10_000)
        #expect(sdmx.count == native.count)
        let differing = native.filter { sdmx[$0.key] != $0.value }.prefix(3)
        #expect(differing.isEmpty, "\(Array(differing))")
    }
}
