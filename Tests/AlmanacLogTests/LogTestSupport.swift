import AlmanacLog
import AlmanacTesting
import Foundation

/// Options for a test log: a fixed clock, no fsync unless asked, small segments if asked.
func testOptions(segmentBytes: Int = 64 * 1024 * 1024, durability: Durability = .none, io: FileIO = PosixFileIO()) -> LogOptions {
    var o = LogOptions()
    let clock = FixedClock()
    o.clock = { clock.now() }
    o.segmentBytesMax = segmentBytes
    o.durability = durability
    o.io = io
    return o
}

/// A deterministic payload of `size`-ish bytes naming the batch and index.
func payload(batch: Int, index: Int, size: Int = 40) -> String {
    // Text that zstd cannot squeeze to nothing, so sizes on disk are realistic.
    var x = UInt64(batch &* 1_000_003 &+ index) &+ 0x9E37_79B9_7F4A_7C15
    var text = ""
    while text.utf8.count < size {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        text += String(x % 1_000_000, radix: 36)
    }
    return "{\"batch\":\(batch),\"i\":\(index),\"text\":\"\(text)\"}"
}

/// Appends `batches` batches of `perBatch` events and returns each batch's result.
@discardableResult
func fill(_ writer: LogWriter, batches: Int, perBatch: Int = 5, size: Int = 40) throws -> [AppendResult] {
    var out: [AppendResult] = []
    for b in 0..<batches {
        out.append(try writer.append((0..<perBatch).map { PendingEvent(type: "Test", json: payload(batch: b, index: $0, size: size)) }))
    }
    return out
}

/// Every event of the log, in order.
func readAll(_ path: String) throws -> [EventEnvelope] {
    var out: [EventEnvelope] = []
    try LogReader(path: path).forEachEvent { e, _ in out.append(e) }
    return out
}

func segmentFiles(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".zst") }.sorted().map { path + "/" + $0 }
}

func copyDirectory(_ from: String, _ to: String) throws {
    try? FileManager.default.removeItem(atPath: to)
    try FileManager.default.copyItem(atPath: from, toPath: to)
}
