import AlmanacLog
import Foundation

/// `tools/bench log`: append N synthetic observation events in batches of 10,000 with an
/// fsync per batch, then replay them; beside `zstd -3` and `zstd -d` on the same JSON Lines
/// bytes in the same run.
enum LogBench {
    static func run(_ args: BenchArguments) throws {
        let events = args.int("events", default: 5_000_000)
        let batch = args.int("batch", default: 10_000)
        let json = args.flags.contains("json")
        let work = args.values["store"] ?? (NSTemporaryDirectory() + "almanac-bench-log-\(getpid())")
        let logPath = work + "/log"
        try? FileManager.default.removeItem(atPath: logPath)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { if args.values["store"] == nil { try? FileManager.default.removeItem(atPath: work) } }

        var options = LogOptions()
        options.durability = .everyBatch
        let generator = SyntheticObservations(seed: 42)

        // Ours: encode + compress + write + fsync per batch.
        var appendedBytes = 0
        let appendSeconds = try measure {
            // Pipelined: later batches are encoded and compressed while earlier batches' own
            // fsyncs run; at most `inFlight` batches wait for theirs, and each is
            // acknowledged (waitDurable) only after its own fsync returned.
            let writer = try LogWriter(path: logPath, options: options)
            let inFlight = 4
            var done = 0
            var outstanding: [AppendTicket] = []
            while done < events {
                let n = min(batch, events - done)
                let ticket = try writer.appendPipelined { enc in
                    for i in 0..<n { enc.add(type: "ObservationReported") { generator.write(done + i, to: $0) } }
                }
                outstanding.append(ticket)
                if outstanding.count > inFlight { try writer.waitDurable(outstanding.removeFirst()) }
                appendedBytes += ticket.result.bytes
                done += n
            }
            for t in outstanding { try writer.waitDurable(t) }
            try writer.close()
        }

        if ProcessInfo.processInfo.environment["ALMANAC_BENCH_BREAKDOWN"] != nil {
            let buf = ByteBuffer(capacity: 4 << 20)
            let encodeSeconds = measure {
                var done = 0
                while done < events {
                    buf.removeAll()
                    let n = min(batch, events - done)
                    for i in 0..<n {
                        buf.append("{\"seq\":"); buf.append(decimal: UInt64(done + i)); buf.append(",\"type\":\"ObservationReported\",\"v\":1,\"time\":\"2021-07-12T08:00:00.000Z\",\"data\":")
                        generator.write(done + i, to: buf); buf.append("}\n")
                    }
                    done += n
                }
            }
            let c = ZstdCompressor(level: 3, workers: options.compressionWorkers)
            let out = ByteBuffer(capacity: 4 << 20)
            let compressSeconds = try measure { for _ in 0..<(events / batch) { out.removeAll(); try c.compress(buf.bytes, appendingTo: out) } }
            let c1 = ZstdCompressor(level: 3, workers: 0)
            let compress1Seconds = try measure { for _ in 0..<(events / batch) { out.removeAll(); try c1.compress(buf.bytes, appendingTo: out) } }
            let crcSeconds = measure { for _ in 0..<(events / batch) { _ = CRC32C.checksum(out.bytes) } }
            print("breakdown: encode \(encodeSeconds)s, compress(\(options.compressionWorkers) workers) \(compressSeconds)s, compress(inline) \(compress1Seconds)s, crc \(crcSeconds)s")
        }

        // The same JSON Lines bytes, for the zstd CLI.
        let jsonl = work + "/events.jsonl"
        FileManager.default.createFile(atPath: jsonl, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: jsonl))
        var rawBytes = 0
        let reader = try LogReader(path: logPath)
        let cursor = try reader.cursor()
        while let b = try cursor.next() {
            handle.write(Data(b.text))
            rawBytes += b.text.count
        }
        try handle.close()

        // Ours: read, check CRCs, decompress, split and decode every envelope.
        var replayed = 0
        var checksum: UInt64 = 0
        let replaySeconds = try measure {
            let c = try LogReader(path: logPath).cursor()
            while let b = try c.next() {
                try b.forEachEventView { e in
                    replayed += 1
                    checksum &+= e.sequence &+ UInt64(e.data.count)
                }
            }
        }
        guard replayed == events else { throw BenchError("replayed \(replayed) events, expected \(events)") }

        let zst = work + "/events.jsonl.zst"
        let zstdSeconds = try timeShell("zstd -3 -q -f '\(jsonl)' -o '\(zst)'")
        let unzstdSeconds = try timeShell("zstd -d -q -c '\(zst)' > /dev/null")
        let zstBytes = try FileManager.default.attributesOfItem(atPath: zst)[.size] as! Int

        let rows = [
            BenchRow(name: "append (fsync per batch)", subject: "almanac", seconds: appendSeconds, items: events, bytes: rawBytes),
            BenchRow(name: "compress", subject: "zstd -3", seconds: zstdSeconds, items: events, bytes: rawBytes),
            BenchRow(name: "replay", subject: "almanac", seconds: replaySeconds, items: events, bytes: rawBytes),
            BenchRow(name: "decompress", subject: "zstd -d", seconds: unzstdSeconds, items: events, bytes: rawBytes),
        ]
        let ratios = [
            BenchRatio(name: "append vs zstd -3 (events/s)", ours: rows[0], reference: rows[1], target: 0.7),
            BenchRatio(name: "replay vs zstd -d (events/s)", ours: rows[2], reference: rows[3], target: 0.5),
        ]
        printReport(title: "log benchmark: \(events) events in batches of \(batch)", rows: rows, ratios: ratios, extras: [
            ("bytes per event in the log", String(format: "%.1f", Double(appendedBytes) / Double(events))),
            ("bytes per event, zstd -3 of the JSON Lines", String(format: "%.1f", Double(zstBytes) / Double(events))),
            ("bytes per event, JSON Lines", String(format: "%.1f", Double(rawBytes) / Double(events))),
            ("replay checksum", String(checksum % 1_000_000)),
        ], json: json)
        try? FileManager.default.removeItem(atPath: jsonl)
        try? FileManager.default.removeItem(atPath: zst)
    }
}

/// Deterministic observation-like payloads: CPI, budget and GRDP figures for 63 provinces.
struct SyntheticObservations {
    let seed: UInt64
    static let indicators = ["cpi.index", "budget.revenue", "budget.expenditure", "gdp.grdp", "investment.fdi_registered"]
    static let groups = ["general", "food", "housing", "transport", "education", "health"]

    func write(_ i: Int, to out: ByteBuffer) {
        var x = UInt64(i) &* 0x9E37_79B9_7F4A_7C15 ^ seed
        x ^= x >> 29
        let indicator = SyntheticObservations.indicators[i % 5]
        let region = (i / 5) % 63 + 1
        let month = (i / 315) % 12 + 1
        let year = 2010 + (i / 3780) % 16
        out.append("{\"submission\":\"s" as StaticString)
        out.append(decimal: UInt64(i / 10_000))
        out.append("\",\"indicator\":\"" as StaticString)
        out.append(indicator)
        out.append("\",\"region\":\"" as StaticString)
        if region < 10 { out.append(UInt8(ascii: "0")) }
        out.append(decimal: UInt64(region))
        out.append("\",\"period\":\"" as StaticString)
        out.append(decimal: UInt64(year))
        out.append(month < 10 ? "-0" : "-")
        out.append(decimal: UInt64(month))
        out.append("\",\"dims\":{\"group\":\"" as StaticString)
        out.append(SyntheticObservations.groups[Int(x % 6)])
        out.append("\"},\"value\":\"" as StaticString)
        out.append(decimal: x % 100_000)
        out.append(UInt8(ascii: "."))
        out.append(decimal: (x >> 20) % 90 + 10)
        out.append("\",\"status\":\"final\",\"agency\":\"gso\"}" as StaticString)
    }
}
