import AlmanacTesting
import AlmanacQuery
import Foundation
import Testing

/// Random pipelines compared with the same computation done in Swift on the raw figures of
/// ``Dataset`` (budget revenue, actual, monthly 2020–2021, provinces and subtotals).
@Suite("Random pipelines against a reference in Swift")
struct PropertyTests {
    /// A row of the reference: a region's value over months `first...last` (ordinals from 2020-01).
    struct Row {
        var region: String
        var level: Int
        var first: Int
        var last: Int
        var value: Double?
        var length: Int { last - first + 1 }
    }

    /// SplitMix64, so every run draws the same pipelines.
    typealias Random = SplitMix

    static let regions = ["01", "31", "19", "20", "06", "NMM", "RRD", "VN"]
    static let operations = ["", "growth pop", "growth yoy", "change yoy", "ytd", "rank", "share", "group by indicator"]

    /// The raw figures as the data set holds them.
    static func raw() -> [Row] {
        var rows: [Row] = []
        for n in 0..<24 {
            let (year, month) = (2020 + n / 12, n % 12 + 1)
            var totals = ["NMM": 0.0, "RRD": 0.0, "VN": 0.0]
            for code in Dataset.provinces {
                let value = Double(Dataset.revenue(code, year: year, month: month))
                totals[Dataset.parents[code]!]! += value
                totals["VN"]! += value
                if !(code == "20" && n == 22) { rows.append(Row(region: code, level: 3, first: n, last: n, value: value)) }
            }
            for (code, total) in totals { rows.append(Row(region: code, level: code == "VN" ? 1 : 2, first: n, last: n, value: total)) }
        }
        return rows
    }

    static func label(_ row: Row) -> String {
        let year = 2020 + row.first / 12, month = row.first % 12 + 1
        switch row.length {
        case 12: return "\(year)"
        case 6: return "\(year)-H\(month <= 6 ? 1 : 2)"
        case 3: return "\(year)-Q\((month + 2) / 3)"
        default: return Dataset.month(year, month)
        }
    }

    static func convert(_ rows: [Row], months: Int) -> [Row] {
        guard months > 1 else { return rows }
        var buckets: [String: [Row]] = [:]
        for row in rows { buckets["\(row.region)|\(row.first - row.first % months)", default: []].append(row) }
        return buckets.values.compactMap { parts in
            guard parts.count == months else { return nil }
            let first = parts[0].first - parts[0].first % months
            return Row(region: parts[0].region, level: parts[0].level, first: first, last: first + months - 1,
                       value: parts.reduce(0) { $0 + $1.value! })
        }
    }

    static func apply(_ operation: String, to rows: [Row]) -> [Row] {
        func previous(_ row: Row, back: Int) -> Row? {
            rows.first { $0.region == row.region && $0.first == row.first - back && $0.last == row.last - back }
        }
        func finest(_ row: Row) -> Bool { row.level == rows.filter { $0.first == row.first && $0.last == row.last }.map(\.level).max() }
        switch operation {
        case "growth pop", "growth yoy", "change yoy":
            return rows.map { row in
                var out = row
                let earlier = previous(row, back: operation.hasSuffix("pop") ? row.length : 12)
                if let p = earlier?.value, let v = row.value {
                    out.value = operation.hasPrefix("growth") ? (p == 0 ? nil : (v / p - 1) * 100) : v - p
                } else {
                    out.value = nil
                }
                return out
            }
        case "ytd":
            return rows.map { row in
                var out = row
                let parts = rows.filter { $0.region == row.region && $0.length == row.length && $0.first / 12 == row.first / 12 && $0.first <= row.first }
                out.value = parts.count == (row.first % 12) / row.length + 1 ? parts.reduce(0) { $0 + $1.value! } : nil
                return out
            }
        case "rank", "share":
            return rows.map { row in
                var out = row
                guard finest(row) else { out.value = nil; return out }
                let peers = rows.filter { $0.first == row.first && $0.last == row.last && $0.level == row.level }
                if operation == "rank" {
                    out.value = Double(peers.filter { $0.value! > row.value! }.count + 1)
                } else {
                    out.value = row.value! * 100 / peers.reduce(0) { $0 + $1.value! }
                }
                return out
            }
        case "group by indicator":
            var periods: [String: Row] = [:]
            for row in rows where finest(row) {
                let key = "\(row.first)|\(row.last)"
                var total = periods[key] ?? Row(region: "", level: 0, first: row.first, last: row.last, value: 0)
                total.value! += row.value!
                periods[key] = total
            }
            return Array(periods.values)
        default:
            return rows
        }
    }

    @Test("random pipelines agree with the reference", arguments: 0..<40)
    func pipeline(seed: Int) throws {
        var random = Random(seed: UInt64(seed) &* 7919 &+ 17)
        var query = "from budget.revenue(measure = \"actual\")"
        var rows = Self.raw()
        if random.next(2) == 0 {
            let chosen = Self.regions.filter { _ in random.next(2) == 0 }
            if !chosen.isEmpty {
                query += " | where region in (" + chosen.map { "\"\($0)\"" }.joined(separator: ", ") + ")"
                rows = rows.filter { chosen.contains($0.region) }
            }
        }
        var during: ClosedRange<Int>?
        if random.next(3) != 0 {
            let start = random.next(24), end = start + random.next(24 - start)
            during = start...end
            query += " | during \(Dataset.month(2020 + start / 12, start % 12 + 1))..\(Dataset.month(2020 + end / 12, end % 12 + 1))"
        }
        let months = [1, 3, 6, 12][random.next(4)]
        if months > 1 { query += " | convert " + ["", "", "", "quarterly", "", "", "half", "", "", "", "", "", "annual"][months] }
        rows = Self.convert(rows, months: months)
        let operation = Self.operations[random.next(Self.operations.count)]
        if !operation.isEmpty { query += " | " + operation }
        rows = Self.apply(operation, to: rows)
        if let during { rows = rows.filter { $0.first >= during.lowerBound && $0.last <= during.upperBound } }

        let result = try Dataset.engine().run(query)
        let column = operation == "rank" || operation == "share" ? operation : "value"
        let grouped = operation == "group by indicator"
        var actual: [String: String] = [:]
        for record in result.records { actual[(grouped ? "" : record["region"]!) + " " + record["period"]!] = record[column]! }
        var expected: [String: Double?] = [:]
        for row in rows { expected[(grouped ? "" : row.region) + " " + Self.label(row)] = row.value }
        #expect(Set(actual.keys) == Set(expected.keys), "\(query)")
        for (key, value) in expected {
            guard let text = actual[key] else { continue }
            if let value {
                let number = Double(text) ?? .nan
                #expect(abs(number - value) <= 0.006 + abs(value) * 1e-9, "\(query): \(key) is \(text), expected \(value)")
            } else {
                #expect(text == "", "\(query): \(key) is \(text), expected no value")
            }
        }
    }
}
