import AlmanacDomain
import Foundation
import Testing
@testable import AlmanacGenerate

/// `manifest.json` lists the agencies and every file in ingestion order, with true counts.
@Suite struct ManifestTests {
    @Test func theManifestListsEveryFileInIngestionOrder() throws {
        let directory = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try Generator(GeneratorOptions(from: 2020, to: 2021)).write(to: directory)
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let manifest = try JSONDecoder().decode(GenerationManifest.self, from: data)
        #expect(summary.manifest.lastPathComponent == GenerationManifest.fileName)
        #expect(manifest.files.count == summary.filesWritten)
        #expect(manifest.observations == summary.observations)
        #expect(summary.agencies == ["gso", "mof", "tn-pso"])
        let order = manifest.files.map { ($0.releaseDate, $0.path.split(separator: "/").last.map(String.init)!) }
        #expect(zip(order, order.dropFirst()).allSatisfy { $0 <= $1 })
        for file in manifest.files {
            let text = try String(contentsOf: directory.appendingPathComponent(file.path), encoding: .utf8)
            #expect(text.split(separator: "\n").count == file.rows + 1, "\(file.path)")
            #expect(file.path.hasPrefix(file.agency + "/" + file.releaseDate + "-"))
            #expect(file.kind == (file.path.contains("revision") ? .revision : .release))
        }
        #expect(Set(manifest.files.map(\.agency)) == ["gso", "mof", "tn-pso"])
        let json = try #require(String(data: data, encoding: .utf8))
        #expect(json.contains("\"release_date\" : \"2021-07-05\""))
        #expect(json.contains("\"regions\" : \"all\""))
    }

    @Test func theAgenciesCanBeRegisteredFromTheManifest() throws {
        let manifest = GenerationManifest(options: GeneratorOptions(), agencies: Generator.agencies, files: [])
        let byID = Dictionary(uniqueKeysWithValues: manifest.agencies.map { ($0.id, $0) })
        #expect(byID["gso"]?.families == ["cpi", "gdp", "investment"])
        #expect(byID["gso"]?.regions == .all)
        #expect(byID["mof"]?.families == ["budget"])
        #expect(byID["tn-pso"]?.families == ["cpi", "gdp"])
        #expect(byID["tn-pso"]?.regions == .only(["19", "19N"]))
        #expect(byID["tn-pso"]?.name == "Cục Thống kê tỉnh Thái Nguyên")
        let encoded = try JSONEncoder().encode(manifest)
        #expect(try JSONDecoder().decode(GenerationManifest.self, from: encoded) == manifest)
    }

    @Test func theReleasesComeInIngestionOrder() {
        let releases = Fixture.releases
        #expect(zip(releases, releases.dropFirst()).allSatisfy { a, b in
            (a.releaseDate, a.fileName) <= (b.releaseDate, b.fileName)
        })
        #expect(Set(releases.map(\.path)).count == releases.count)
        #expect(releases.first?.fileName == "2015-01-10-budget-plan-2015.csv")
    }
}
