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
        #expect(summary.agencies.count == 2 + 3 * 63)
        #expect(Array(summary.agencies.prefix(5)) == ["gso", "mof", "pso-01", "dof-01", "dpi-01"])
        let nmmOffices = ["02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19", "20", "24", "25"].map { "pso-" + $0 }
        #expect(summary.publishing == (["gso", "mof"] + nmmOffices).sorted())
        let order = manifest.files.map { ($0.releaseDate, $0.path.split(separator: "/").last.map(String.init)!) }
        #expect(zip(order, order.dropFirst()).allSatisfy { $0 <= $1 })
        for file in manifest.files {
            let text = try String(contentsOf: directory.appendingPathComponent(file.path), encoding: .utf8)
            #expect(text.split(separator: "\n").count == file.rows + 1, "\(file.path)")
            #expect(file.path.hasPrefix(file.agency + "/" + file.releaseDate + "-"))
            #expect(file.kind == (file.path.contains("revision") ? .revision : .release))
        }
        #expect(Set(manifest.files.map(\.agency)) == Set(summary.publishing))
        #expect(manifest.agencies.map(\.id) == summary.agencies)
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
        #expect(byID["pso-19"]?.families == ["cpi", "gdp"])
        #expect(byID["pso-19"]?.regions == .only(["19", "19N"]))
        #expect(byID["pso-19"]?.name == "Cục Thống kê tỉnh Thái Nguyên")
        #expect(byID["dof-19"]?.families == ["budget"])
        #expect(byID["dof-19"]?.name == "Sở Tài chính tỉnh Thái Nguyên")
        #expect(byID["dpi-79"]?.families == ["investment"])
        #expect(byID["dpi-79"]?.name == "Sở Kế hoạch và Đầu tư thành phố Hồ Chí Minh")
        // A province merged into another in 2025 may report for its successor too.
        let catalogue = RegionCatalogue.standard
        for province in catalogue.provinces(validFor: .month(2025, 6)!) {
            let successor = try #require(province.successorCode, "\(province.code) has no successor")
            #expect(catalogue.region(code: successor) != nil)
            for kind in ["pso", "dof", "dpi"] {
                #expect(byID["\(kind)-\(province.officialCode)"]?.regions == .only([province.officialCode, successor].sorted()))
            }
        }
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
