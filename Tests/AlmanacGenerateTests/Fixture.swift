import AlmanacDomain
import Foundation
@testable import AlmanacGenerate

/// The default data set (2015–2025, seed 1), generated once and shared by the tests.
enum Fixture {
    static let generator = try! Generator(GeneratorOptions())
    static let releases: [Release] = generator.releases()
    /// Every release with its rows, in ingestion order.
    static let files: [(release: Release, rows: [GeneratedRow])] = releases.map { ($0, $0.rows) }
    /// The key of every row of ``files``, computed once (keys are costly in debug builds).
    static let keys: [[String]] = files.map { $0.rows.map(\.key) }

    /// The latest value of every key after ingesting all files in order, and the first.
    static let firstValues: [String: GeneratedRow] = {
        var out: [String: GeneratedRow] = [:]
        for (file, keys) in zip(files, keys) {
            for (row, key) in zip(file.rows, keys) where out[key] == nil { out[key] = row }
        }
        return out
    }()

    /// The latest value of every key, known on `date` (files released on or before it).
    static func values(knownOn date: CalendarDate? = nil, in files: [(release: Release, rows: [GeneratedRow])]? = nil)
        -> [String: (row: GeneratedRow, agency: String)] {
        let chosen = files ?? Fixture.files
        let keys = files == nil ? Fixture.keys : chosen.map { $0.rows.map(\.key) }
        var out: [String: (row: GeneratedRow, agency: String)] = [:]
        for (file, fileKeys) in zip(chosen, keys) where date.map({ file.release.releaseDate <= $0 }) ?? true {
            for (row, key) in zip(file.rows, fileKeys) where out[key]?.row.value != row.value {
                out[key] = (row, file.release.agencyID)
            }
        }
        return out
    }

    /// A fresh empty directory under the temporary directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("almanac-generate-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// H1 2021 actual budget revenue of every 2021 province, from `values`.
    static func revenueH1(_ values: [String: (row: GeneratedRow, agency: String)]) -> [String: Double] {
        var sums: [String: Double] = [:]
        for (_, entry) in values {
            let row = entry.row
            guard row.indicator == "budget.revenue", row.dimensions["measure"] == "actual",
                  row.period.frequency == .monthly, Period.half(2021, 1)!.contains(row.period) else { continue }
            sums[row.region, default: 0] += Double(row.value)!
        }
        return sums
    }
}
