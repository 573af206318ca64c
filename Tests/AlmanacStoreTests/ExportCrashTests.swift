import AlmanacDomain
import AlmanacStore
import AlmanacTesting
import Foundation
import Glibc
import Testing

/// The real `almanac export` process killed with SIGKILL — at the export's fault points and
/// at random moments: the snapshot is either absent or whole (its manifest's checksums
/// match), and the next export into the same parent removes what the killed one left.
/// Also the command line's errors and exit status.
///
/// `ALMANAC_SOAK_KILLS` raises the number of random kills (default 40).
@Suite(.serialized) struct ExportCrashTests {
    static var rounds: Int { Int(ProcessInfo.processInfo.environment["ALMANAC_SOAK_KILLS"] ?? "").map { max($0 / 4, 40) } ?? 40 }

    /// A store with about eleven thousand observations (CPI of every province, 2010–2024).
    static func store() throws -> TestStore {
        let t = try TestStore()
        let provinces = RegionCatalogue.standard.regions.filter { $0.level == .province && $0.validTo != nil }.map(\.code)
        #expect(provinces.count == 63)
        var text = nativeHeader
        for code in provinces {
            for year in 2010...2024 {
                for month in 1...12 {
                    text += "cpi.index,\(code),\(year)-\(month < 10 ? "0" : "")\(month),\(100 + (year - 2010) * 3).\(month)5,index,final,\n"
                }
            }
        }
        #expect(try t.ingest("cpi.csv", text).counts != nil)
        return t
    }

    static var almanac: String { Executables.path("almanac") }

    /// Runs `almanac export` with `ALMANAC_FAULT` set; returns the process's termination.
    static func export(_ store: String, _ format: String, _ out: String, fault: String? = nil) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: almanac)
        p.arguments = ["export", "--store", store, "--format", format, "--out", out]
        var env = ProcessInfo.processInfo.environment
        env["ALMANAC_FAULT"] = fault
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func leftovers(_ parent: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(".") }.sorted()
    }

    @Test func killedAtEachFaultPointLeavesNoSnapshotOrAWholeOne() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.almanac), "build almanac first (\(Self.almanac))")
        let t = try Self.store()
        let parent = t.dir.file("snapshots")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        for format in ["csv", "jsonl", "sqlite", "sdmx-csv"] {
            for fault in ["export-after-data", "export-before-rename", "export-after-rename"] {
                let name = "\(format)-\(fault)"
                let target = parent + "/" + name
                let p = try Self.export(t.path, format, target, fault: fault)
                p.waitUntilExit()
                #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL, "\(name): killed at the fault point")
                let temporary = parent + "/.\(name).tmp-\(p.processIdentifier)"
                if fault == "export-after-rename" {
                    let manifest = try ExportSupport.verify(target)
                    #expect(manifest.rows == 11_340, "\(name): the renamed snapshot is whole")
                    #expect(!FileManager.default.fileExists(atPath: temporary))
                } else {
                    #expect(!FileManager.default.fileExists(atPath: target), "\(name): no snapshot under its name")
                    var isDirectory: ObjCBool = false
                    #expect(FileManager.default.fileExists(atPath: temporary, isDirectory: &isDirectory) && isDirectory.boolValue,
                            "\(name): the killed export left its temporary directory")
                    let hasManifest = FileManager.default.fileExists(atPath: temporary + "/manifest.json")
                    #expect(hasManifest == (fault == "export-before-rename"))
                }
                // Each export removed the temporary directory the export killed before it left.
                #expect(try Self.leftovers(parent) == (fault == "export-after-rename" ? [] : [".\(name).tmp-\(p.processIdentifier)"]))
            }
        }
        let killed = try Self.export(t.path, "csv", parent + "/csv-export-before-rename", fault: "export-before-rename")
        killed.waitUntilExit()
        #expect(try Self.leftovers(parent) == [".csv-export-before-rename.tmp-\(killed.processIdentifier)"])
        // The next export into the same parent removes it; a killed name can be used again.
        let again = try Executables.almanac(["export", "--store", t.path, "--format", "csv", "--out", parent + "/csv-export-before-rename"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try Self.leftovers(parent).isEmpty)
        _ = try ExportSupport.verify(parent + "/csv-export-before-rename")
    }

    @Test func randomKillsLeaveNoSnapshotOrAWholeOne() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.almanac), "build almanac first (\(Self.almanac))")
        let t = try Self.store()
        let parent = t.dir.file("random")
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        // How long one export takes here, only to spread the kills over its whole run.
        let start = Date()
        let first = try Self.export(t.path, "csv", parent + "/warm-up")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let span = max(Date().timeIntervalSince(start), 0.05) * 1.2
        var kills = 0, finished = 0
        let formats = ["csv", "jsonl", "sqlite", "sdmx-csv"]
        for round in 0..<Self.rounds {
            let target = parent + "/snap-\(round)"
            let p = try Self.export(t.path, formats[round % formats.count], target)
            usleep(round % 10 == 0 ? 0 : UInt32(Double.random(in: 0...span) * 1_000_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            if p.terminationReason == .uncaughtSignal { kills += 1 } else {
                #expect(p.terminationStatus == 0, "round \(round): the export failed")
                finished += 1
            }
            // Absent or whole, never in between.
            if FileManager.default.fileExists(atPath: target) {
                let manifest = try ExportSupport.verify(target)
                #expect(manifest.rows == 11_340 || manifest.content == "readmodel", "round \(round)")
            }
        }
        #expect(kills > 0, "some exports were killed (\(kills) killed, \(finished) finished)")
        let last = try Executables.almanac(["export", "--store", t.path, "--format", "csv", "--out", parent + "/after"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try Self.leftovers(parent).isEmpty, "the next export removed every temporary directory")
    }

    @Test func commandLineErrorsAndExitStatus() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.almanac), "build almanac first (\(Self.almanac))")
        let t = try ExportSupport.smallStore()
        let out = t.dir.file("cli")
        let ok = try Executables.almanac(["export", "--store", t.path, "--format", "jsonl", "--out", out])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("exported 5 rows (jsonl, latest, log position"), "\(ok.stdout)")
        let exists = try Executables.almanac(["export", "--store", t.path, "--format", "csv", "--out", out])
        #expect(exists.status == 1)
        #expect(exists.stderr == "almanac: output directory \(out) already exists; choose a new name\n")
        let format = try Executables.almanac(["export", "--store", t.path, "--format", "xlsx", "--out", t.dir.file("f")])
        #expect(format.status == 2)
        #expect(format.stderr.contains("unknown export format 'xlsx' (csv, jsonl, sqlite, sdmx-csv)"))
        let date = try Executables.almanac(["export", "--store", t.path, "--format", "csv", "--as-of", "12/07/2021", "--out", t.dir.file("d")])
        #expect(date.status == 2)
        #expect(date.stderr.contains("bad --as-of '12/07/2021'"))
        let query = try Executables.almanac(["export", "--store", t.path, "--format", "csv", "--query", #"from gdp.grdp_growth | where region = "Thai Ngyen""#, "--out", t.dir.file("q")])
        #expect(query.status == 1)
        #expect(query.stderr.contains("unknown region \"Thai Ngyen\""))
        #expect(query.stderr.contains("^^^^"))
        #expect(query.stderr.contains("did you mean \"Thái Nguyên\""))
        let json = try Executables.almanac(["export", "--store", t.path, "--format", "csv", "--as-of", "2021-07-12", "--json", "--out", t.dir.file("j")])
        #expect(json.status == 0, "\(json.stderr)")
        let manifest = try JSONDecoder().decode(ExportManifest.self, from: Data(json.stdout.utf8))
        #expect(manifest.asOf == "2021-07-12" && manifest.rows == 6, "known on 12 July: the first figures, before the revision and the retraction")
    }
}
