import AlmanacLog
import AlmanacTesting
import Foundation
import Testing

/// The real `almanac` executable: exit status 0 on success, 1 when the work failed, 2 on a
/// usage error, and one line on standard error.
@Suite struct CommandLineTests {
    static var almanac: String { Executables.path("almanac") }

    @Test func exitStatusesAndOneLineErrors() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.almanac), "build almanac first")
        let dir = TemporaryDirectory("cli")
        let store = dir.file("store")
        // Usage errors: 2.
        for args in [["bogus"], ["ingest"], ["query", "--store", store], ["log", "dump", "--limit", "x"]] {
            let r = try Executables.almanac(args)
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("almanac: "))
        }
        // Work that fails: 1, with one line naming what is wrong.
        let missing = try Executables.almanac(["status", "--store", store])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("almanac init"))
        #expect(try Executables.almanac(["init", "--store", store]).status == 0)
        #expect(try Executables.almanac(["agency", "add", "gso", "--name", "GSO", "--store", store]).status == 0)
        let bad = dir.file("bad.csv")
        FileManager.default.createFile(atPath: bad, contents: Data("indicator,region,period,value\ncpi.index,Ha Noy,2021-07,101\n".utf8))
        let rejected = try Executables.almanac(["ingest", bad, "--agency", "gso", "--store", store])
        #expect(rejected.status == 1)
        #expect(rejected.stdout.contains("bad.csv:2:2 (region)"))
        let good = dir.file("good.csv")
        FileManager.default.createFile(atPath: good, contents: Data("indicator,region,period,value\ncpi.index,Ha Noi,2021-07,101\n".utf8))
        let accepted = try Executables.almanac(["ingest", good, "--agency", "gso", "--store", store])
        #expect(accepted.status == 0)
        #expect(accepted.stdout.contains("1 reported"))
        let queryError = try Executables.almanac(["query", "from cpi.indx", "--store", store])
        #expect(queryError.status == 1)
        #expect(queryError.stderr.contains("^"))
        let query = try Executables.almanac(["query", #"from cpi.index | where region = "Hà Nội""#, "--format", "csv", "--store", store])
        #expect(query.status == 0)
        #expect(query.stdout.contains("cpi.index,01,"))
        #expect(try Executables.almanac(["verify", "--store", store]).status == 0)
        // A damaged log: verify exits 1 naming the segment and the byte offset.
        let segment = try #require(FileManager.default.contentsOfDirectory(atPath: store + "/log").first { $0.hasSuffix(".zst") })
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: store + "/log/" + segment))
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: Data([0xFF, 0x00, 0xFF]))
        try handle.close()
        let damaged = try Executables.almanac(["log", "verify", "--store", store])
        #expect(damaged.status == 1)
        #expect(damaged.stderr.contains(segment) && damaged.stderr.contains("at byte 0"))
    }
}
