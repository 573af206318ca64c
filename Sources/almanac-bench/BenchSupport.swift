import Foundation
import Glibc

/// Wall-clock seconds of `body`.
func measure(_ body: () throws -> Void) rethrows -> Double {
    var a = timespec(), b = timespec()
    clock_gettime(CLOCK_MONOTONIC, &a)
    try body()
    clock_gettime(CLOCK_MONOTONIC, &b)
    return Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
}

/// Runs a shell command line and returns its wall-clock seconds; fails on non-zero exit.
func timeShell(_ command: String) throws -> Double {
    var status: Int32 = 0
    let seconds = try measure {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        try p.run()
        p.waitUntilExit()
        status = p.terminationStatus
    }
    guard status == 0 else { throw BenchError("command failed (\(status)): \(command)") }
    return seconds
}

/// Output of a shell command.
func shellOutput(_ command: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0 else { throw BenchError("command failed (\(p.terminationStatus)): \(command)") }
    return String(decoding: data, as: UTF8.self)
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// One line of a benchmark report: what was measured, by whom, and the figures.
struct BenchRow {
    var name: String
    var subject: String
    var seconds: Double
    var items: Int
    var bytes: Int

    var itemsPerSecond: Double { Double(items) / seconds }
    var megabytesPerSecond: Double { Double(bytes) / 1_048_576 / seconds }
}

/// A comparison: ours against the reference, with the target ratio.
struct BenchRatio {
    var name: String
    var ours: BenchRow
    var reference: BenchRow
    var target: Double
    /// The ratio when it is not the one of the two rows (such as the median of repeated
    /// runs' ratios).
    var measured: Double? = nil
    /// Higher is better for throughput ratios.
    var ratio: Double { measured ?? ours.itemsPerSecond / reference.itemsPerSecond }
    var met: Bool { ratio >= target }
}

func printReport(title: String, rows: [BenchRow], ratios: [BenchRatio], extras: [(String, String)], json: Bool) {
    if json {
        var parts: [String] = []
        parts.append("\"benchmark\":\"\(title)\"")
        parts.append("\"rows\":[" + rows.map {
            "{\"name\":\"\($0.name)\",\"subject\":\"\($0.subject)\",\"seconds\":\(round3($0.seconds)),\"items\":\($0.items),\"items_per_second\":\(Int($0.itemsPerSecond)),\"mb_per_second\":\(round3($0.megabytesPerSecond))}"
        }.joined(separator: ",") + "]")
        parts.append("\"ratios\":[" + ratios.map {
            "{\"name\":\"\($0.name)\",\"ratio\":\(round3($0.ratio)),\"target\":\($0.target),\"met\":\($0.met),"
                + "\"almanac\":\(Int($0.ours.itemsPerSecond)),\"almanac_by\":\"\($0.ours.subject)\","
                + "\"reference\":\(Int($0.reference.itemsPerSecond)),\"reference_by\":\"\($0.reference.subject)\",\"unit\":\"items/s\"}"
        }.joined(separator: ",") + "]")
        for (k, v) in extras { parts.append("\"\(k)\":\(Double(v) != nil ? v : "\"\(v)\"")") }
        print("{" + parts.joined(separator: ",") + "}")
        return
    }
    print(title)
    print(pad("step", 26) + pad("by", 22) + lpad("seconds", 10) + lpad("items/s", 14) + lpad("MB/s", 10))
    for r in rows {
        print(pad(r.name, 26) + pad(r.subject, 22) + lpad(String(format: "%.3f", r.seconds), 10)
              + lpad(String(Int(r.itemsPerSecond)), 14) + lpad(String(format: "%.1f", r.megabytesPerSecond), 10))
    }
    print("")
    for r in ratios {
        print(pad(r.name, 48) + lpad(String(format: "%.2fx", r.ratio), 10) + "   target >= \(r.target)x  " + (r.met ? "met" : "NOT met"))
    }
    for (k, v) in extras { print(pad(k, 48) + lpad(v, 10)) }
}

func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? " " + s : String(repeating: " ", count: n - s.count) + s }

/// Simple `--name value` / `--flag` parsing for the bench tools.
struct BenchArguments {
    var values: [String: String] = [:]
    var flags: Set<String> = []

    init(_ args: ArraySlice<String>) {
        var i = args.startIndex
        while i < args.endIndex {
            let a = args[i]
            if a.hasPrefix("--") {
                let name = String(a.dropFirst(2))
                if i + 1 < args.endIndex, !args[i + 1].hasPrefix("--") { values[name] = args[i + 1]; i += 2; continue }
                flags.insert(name)
            }
            i += 1
        }
    }

    func int(_ name: String, default d: Int) -> Int { values[name].flatMap { Int($0.replacingOccurrences(of: "_", with: "")) } ?? d }
}
