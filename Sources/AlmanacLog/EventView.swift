/// A zero-copy view of one stored event, valid only inside the callback that receives it.
/// Projections and replays use it to avoid allocating per event; `envelope` copies.
public struct EventView {
    public let sequence: UInt64
    public let version: Int
    /// The UTF-8 bytes of the event type.
    public let typeBytes: UnsafeRawBufferPointer
    /// The payload's JSON object text.
    public let data: UnsafeRawBufferPointer
    /// The whole line.
    public let line: UnsafeRawBufferPointer

    public var type: String { String(decoding: typeBytes, as: UTF8.self) }

    /// True when the type equals `name` (no allocation).
    public func isType(_ name: StaticString) -> Bool {
        guard typeBytes.count == name.utf8CodeUnitCount else { return false }
        return memcmp(typeBytes.baseAddress!, name.utf8Start, typeBytes.count) == 0
    }

    /// A full, owning copy of the envelope (keeps unknown fields).
    public func envelope() throws -> EventEnvelope { try EventEnvelope.parse(line) }

    /// Reads the canonical form the writer produces:
    /// `{"seq":N,"type":"T","v":N,"time":"…","data":{…}}` with no unknown fields.
    /// Returns nil for any other layout (then callers fall back to `EventEnvelope.parse`).
    static func canonical(_ line: UnsafeRawBufferPointer, trusted: Bool) -> EventView? {
        var i = 0
        let n = line.count
        @inline(__always) func literal(_ s: StaticString) -> Bool {
            let len = s.utf8CodeUnitCount
            guard i + len <= n, memcmp(line.baseAddress! + i, s.utf8Start, len) == 0 else { return false }
            i += len
            return true
        }
        @inline(__always) func integer() -> UInt64? {
            var v: UInt64 = 0
            let start = i
            while i < n, line[i] &- 48 < 10, i - start < 19 { v = v * 10 + UInt64(line[i] &- 48); i += 1 }
            return i > start ? v : nil
        }
        @inline(__always) func plainString() -> Range<Int>? {
            let start = i
            while i < n, line[i] != UInt8(ascii: "\""), line[i] != UInt8(ascii: "\\") { i += 1 }
            guard i < n, line[i] == UInt8(ascii: "\"") else { return nil }
            defer { i += 1 }
            return start..<i
        }
        guard literal("{\"seq\":"), let seq = integer(), literal(",\"type\":\""), let type = plainString(),
              literal(",\"v\":"), let v = integer(), literal(",\"time\":\""), plainString() != nil,
              literal(",\"data\":{"), n >= i + 1, line[n - 1] == UInt8(ascii: "}"), line[n - 2] == UInt8(ascii: "}")
        else { return nil }
        // `data` runs to the last byte but one when no unknown field follows it: true by
        // the batch's canonical flag, else checked by skipping over the object.
        let dataRange = (i - 1)..<(n - 1)
        guard trusted || TopLevelScanner.isSingleValue(UnsafeRawBufferPointer(rebasing: line[dataRange])) else { return nil }
        return EventView(sequence: seq, version: Int(v), typeBytes: UnsafeRawBufferPointer(rebasing: line[type]),
                         data: UnsafeRawBufferPointer(rebasing: line[dataRange]), line: line)
    }
}

extension TopLevelScanner {
    /// True when `bytes` is exactly one JSON object (cheap structural skip, no decoding).
    static func isSingleValue(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var s = TopLevelScanner(bytes: bytes)
        do { try s.skipValue() } catch { return false }
        return s.index == bytes.count
    }
}

extension LogBatch {
    /// Calls `body` with a zero-copy view of every event with sequence ≥ `from`.
    public func forEachEventView(from: UInt64 = 0, _ body: (EventView) throws -> Void) throws {
        var seq = header.firstSequence
        let trusted = header.flags & BatchHeader.flagCanonicalLines != 0
        try EventLines.forEach(text) { line in
            defer { seq += 1 }
            guard seq >= from else { return }
            if let view = EventView.canonical(line, trusted: trusted) {
                try body(view)
                return
            }
            // Not in canonical layout (unknown fields, escapes): parse fully, then view the copy.
            let e: EventEnvelope
            do { e = try EventEnvelope.parse(line) } catch {
                throw LogError.corrupt("event \(seq): \(error)", path: segmentPath, offset: offset)
            }
            var typeBytes = Array(e.type.utf8)
            try typeBytes.withUnsafeBytes { t in
                try e.data.withUnsafeBytes { d in
                    try body(EventView(sequence: e.sequence, version: e.version, typeBytes: t, data: d, line: line))
                }
            }
            _ = typeBytes.count
            typeBytes.removeAll()
        }
    }
}

import Glibc
