import AlmanacDomain
import AlmanacIngest
import AlmanacLog
import AlmanacSQLite
import Foundation

extension Projector {
    /// The indices 0..<n ordered by `key(i)` (compared as a pair), ties in index order: a
    /// stable least-significant-digit radix sort, 11 bits at a time over the bits in use.
    static func sortedOrder(_ n: Int, key: (Int) -> (UInt64, UInt64)) -> [Int32] {
        var order = [Int32](unsafeUninitializedCapacity: n) { b, c in for i in 0..<n { b[i] = Int32(i) }; c = n }
        guard n > 1 else { return order }
        var high = [UInt64](repeating: 0, count: n), low = [UInt64](repeating: 0, count: n)
        var maxHigh: UInt64 = 0, maxLow: UInt64 = 0
        for i in 0..<n {
            let (h, l) = key(i)
            high[i] = h; low[i] = l
            maxHigh |= h; maxLow |= l
        }
        var scratch = [Int32](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2049)
        func passes(_ keys: [UInt64], _ maxKey: UInt64) {
            var shift: UInt64 = 0
            while shift < 64 && (maxKey >> shift) != 0 {
                for i in 0..<counts.count { counts[i] = 0 }
                for i in 0..<n { counts[Int((keys[Int(order[i])] >> shift) & 2047) + 1] += 1 }
                for i in 1..<counts.count { counts[i] += counts[i - 1] }
                for i in 0..<n {
                    let o = order[i]
                    let d = Int((keys[Int(o)] >> shift) & 2047)
                    scratch[counts[d]] = o
                    counts[d] += 1
                }
                swap(&order, &scratch)
                shift += 11
            }
        }
        // Least significant part first; each pass is stable.
        passes(low, maxLow)
        passes(high, maxHigh)
        return order
    }
}

/// What each parameter of a statement was last bound to, within one flush: texts by their
/// number in the projector's tables, periods by theirs (both fixed during a flush).
struct BoundValues {
    private enum Value: Equatable { case unknown, null, int(Int64), text(Int32), period(Int32), kind(ObservationEvent.Kind) }
    private var values: [Value]

    init(_ count: Int) { values = Array(repeating: .unknown, count: count + 1) }

    mutating func forget(_ i: Int) { values[i] = .unknown }

    mutating func int(_ s: Statement, _ i: Int, _ v: Int64) throws {
        if values[i] == .int(v) { return }
        try s.bind(v, at: i)
        values[i] = .int(v)
    }

    mutating func text(_ s: Statement, _ i: Int, _ t: Int32, _ texts: [String]) throws {
        if values[i] == .text(t) { return }
        try s.bind(texts[Int(t)], at: i)
        values[i] = .text(t)
    }

    mutating func period(_ s: Statement, _ i: Int, _ p: Int32, _ text: String) throws {
        if values[i] == .period(p) { return }
        try s.bind(text, at: i)
        values[i] = .period(p)
    }

    mutating func kind(_ s: Statement, _ i: Int, _ k: ObservationEvent.Kind) throws {
        if values[i] == .kind(k) { return }
        try s.bind(k == .reported ? "reported" : k == .revised ? "revised" : "retracted", at: i)
        values[i] = .kind(k)
    }

    mutating func null(_ s: Statement, _ i: Int) throws {
        if values[i] == .null { return }
        try s.bindNull(at: i)
        values[i] = .null
    }
}

/// A Bloom filter of (series, period) keys: "certainly not written" or "maybe". Fixed size
/// (8 MiB, made on first use), so it stays bounded whatever the log's length; once it is
/// crowded it only answers "maybe" more often, which costs an UPDATE, never correctness.
/// Blocked: both bits of a key lie in one 64-byte line (one cache miss per key).
final class SeenKeys {
    private static let words = 1 << 20
    private var bits: UnsafeMutablePointer<UInt64>?
    private var used = false

    deinit { bits?.deallocate() }

    static func hash(series: Int64, period: UInt64) -> UInt64 {
        var h = UInt64(bitPattern: series) &* 0x9E37_79B9_7F4A_7C15 ^ period
        h = (h ^ (h >> 31)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        return h
    }

    /// The line (8 words) of a key and its two bits within the line.
    @inline(__always)
    private static func place(_ h: UInt64) -> (line: Int, a: Int, b: Int) {
        let line = Int(truncatingIfNeeded: h >> 18) & (words / 8 - 1)
        return (line * 8, Int(h & 511), Int((h >> 9) & 511))
    }

    func insert(_ h: UInt64) {
        if bits == nil {
            let w = UnsafeMutablePointer<UInt64>.allocate(capacity: SeenKeys.words)
            w.initialize(repeating: 0, count: SeenKeys.words)
            bits = w
        }
        used = true
        let (line, a, b) = SeenKeys.place(h)
        bits![line + a >> 6] |= 1 << UInt64(a & 63)
        bits![line + b >> 6] |= 1 << UInt64(b & 63)
    }

    func mayContain(_ h: UInt64) -> Bool {
        guard let bits, used else { return false }
        let (line, a, b) = SeenKeys.place(h)
        return bits[line + a >> 6] & (1 << UInt64(a & 63)) != 0 && bits[line + b >> 6] & (1 << UInt64(b & 63)) != 0
    }

    func clear() {
        if let bits, used { bits.update(repeating: 0, count: SeenKeys.words) }
        used = false
    }
}
