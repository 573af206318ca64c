import AlmanacDomain
import Foundation
import Testing
@testable import AlmanacGenerate

/// The same options give the same bytes; another seed gives other figures.
@Suite struct DeterminismTests {
    /// Every file under `directory`, by relative path.
    static func contents(of directory: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: directory.path) {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory.appendingPathComponent(path).path,
                                                        isDirectory: &isDirectory)
            if exists, !isDirectory.boolValue { out[path] = try Data(contentsOf: directory.appendingPathComponent(path)) }
        }
        return out
    }

    @Test func theSameOptionsWriteTheSameBytes() throws {
        let options = GeneratorOptions(from: 2020, to: 2021, seed: 7)
        let a = Fixture.temporaryDirectory(), b = Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: a); try? FileManager.default.removeItem(at: b) }
        let first = try Generator(options).write(to: a)
        let second = try Generator(options).write(to: b)
        #expect(first.filesWritten == second.filesWritten && first.observations == second.observations)
        let filesA = try Self.contents(of: a), filesB = try Self.contents(of: b)
        #expect(filesA.count == first.filesWritten + 1)
        #expect(filesA == filesB)
    }

    @Test func anotherSeedChangesTheFiguresButNotTheShape() throws {
        let one = try Generator(GeneratorOptions(from: 2021, to: 2021, seed: 1)).releases()
        let two = try Generator(GeneratorOptions(from: 2021, to: 2021, seed: 2)).releases()
        #expect(one.map(\.path) == two.map(\.path))
        let cpiOne = try #require(one.first { $0.fileName.hasSuffix("monthly-2021-03.csv") })
        let cpiTwo = try #require(two.first { $0.fileName.hasSuffix("monthly-2021-03.csv") })
        #expect(cpiOne.rows.map(\.key) == cpiTwo.rows.map(\.key))
        #expect(cpiOne.encoded() != cpiTwo.encoded())
        let changed = zip(cpiOne.rows, cpiTwo.rows).filter { $0.value != $1.value }.count
        #expect(changed > cpiOne.rowCount / 2)
    }

    @Test func aFigureDoesNotDependOnTheYearRange() throws {
        let narrow = try Generator(GeneratorOptions(from: 2021, to: 2021)).releases()
        for name in ["2021-06-29-monthly-2021-06.csv", "2021-07-06-budget-2021-06.csv", "2021-07-15-grdp-2021-Q2.csv"] {
            let a = try #require(narrow.first { $0.fileName == name })
            let b = try #require(Fixture.releases.first { $0.fileName == name })
            #expect(a.encoded() == b.encoded(), "\(name)")
        }
    }

    @Test func badOptionsAreRefused() {
        #expect(throws: GeneratorError.self) { try Generator(GeneratorOptions(from: 2022, to: 2021)) }
        #expect(throws: GeneratorError.self) { try Generator(GeneratorOptions(from: 1850)) }
        #expect(throws: GeneratorError.self) { try Generator(GeneratorOptions(scale: 0)) }
    }

    @Test func decimalTextIsPlainAndTrimmed() {
        #expect(DecimalFormat.text(6.5, decimals: 2) == "6.5")
        #expect(DecimalFormat.text(6.499999999, decimals: 2) == "6.5")
        #expect(DecimalFormat.text(100.004, decimals: 2) == "100")
        #expect(DecimalFormat.text(-0.25, decimals: 2) == "-0.25")
        #expect(DecimalFormat.text(-0.001, decimals: 2) == "0")
        #expect(DecimalFormat.text(1234567.05, decimals: 1) == "1234567.1")
        #expect(DecimalFormat.text(0.05, decimals: 2) == "0.05")
        #expect(DecimalFormat.nudged("6.5") == "6.6")
        #expect(DecimalFormat.nudged("12") == "13")
        #expect(DecimalFormat.nudged("0.99") == "1")
    }
}
