/// Reading an envelope line: a single pass over the top-level object that takes `seq`,
/// `type`, `v`, `time` and the raw bytes of `data`, and keeps any other field as raw text.
/// Nested values are skipped, not parsed: the payload is the domain's business.
extension EventEnvelope {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var offset: Int
        public var reason: String
        public var description: String { "event envelope: \(reason) at byte \(offset)" }
    }

    public static func parse(_ line: UnsafeRawBufferPointer) throws -> EventEnvelope {
        var s = TopLevelScanner(bytes: line)
        var sequence: UInt64?
        var type: String?
        var version: Int?
        var time: String?
        var data: [UInt8]?
        var extra: [Extra] = []
        try s.expect(UInt8(ascii: "{"))
        s.skipSpace()
        if s.peek() == UInt8(ascii: "}") { throw s.error("empty envelope") }
        while true {
            s.skipSpace()
            let key = try s.string()
            s.skipSpace()
            try s.expect(UInt8(ascii: ":"))
            s.skipSpace()
            let start = s.index
            try s.skipValue()
            let raw = UnsafeRawBufferPointer(rebasing: line[start..<s.index])
            switch key {
            case "seq":
                guard let v = UInt64(String(decoding: raw, as: UTF8.self)) else { throw s.error("seq is not a sequence number") }
                sequence = v
            case "type":
                var t = TopLevelScanner(bytes: raw)
                type = try t.string()
            case "v":
                guard let v = Int(String(decoding: raw, as: UTF8.self)) else { throw s.error("v is not an integer") }
                version = v
            case "time":
                var t = TopLevelScanner(bytes: raw)
                time = try t.string()
            case "data":
                guard raw.first == UInt8(ascii: "{") else { throw s.error("data is not an object") }
                data = Array(raw)
            default:
                extra.append(Extra(key: key, rawValue: Array(raw)))
            }
            s.skipSpace()
            if s.peek() == UInt8(ascii: ",") { s.index += 1; continue }
            try s.expect(UInt8(ascii: "}"))
            break
        }
        s.skipSpace()
        if s.index != line.count { throw s.error("text after the envelope") }
        guard let sequence, let type, let version, let time, let data else {
            throw ParseError(offset: 0, reason: "missing one of seq, type, v, time, data")
        }
        return EventEnvelope(sequence: sequence, type: type, version: version, time: time, data: data, extra: extra)
    }

    public static func parse(_ line: String) throws -> EventEnvelope {
        var copy = line
        return try copy.withUTF8 { (buf) throws -> EventEnvelope in try parse(UnsafeRawBufferPointer(buf)) }
    }
}

/// A minimal JSON skipper for the envelope: strings are decoded, other values only skipped
/// (with nesting limited so hostile input cannot exhaust anything).
struct TopLevelScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0
    static let depthMax = 512

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    func error(_ reason: String) -> EventEnvelope.ParseError { .init(offset: index, reason: reason) }

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
        guard peek() == byte else { throw error("expected '\(Character(Unicode.Scalar(byte)))'") }
        index += 1
    }

    /// Decodes a string literal. Plain strings are taken as they are; a string with escapes
    /// is handed to `JSONParser`, the one place that decodes escapes (surrogate pairs too).
    mutating func string() throws -> String {
        let start = index
        try expect(UInt8(ascii: "\""))
        var escaped = false
        while true {
            guard let b = peek() else { throw error("unterminated string") }
            if b == UInt8(ascii: "\"") { index += 1; break }
            if b == UInt8(ascii: "\\") { escaped = true; index += 2; continue }
            index += 1
        }
        let token = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
        guard escaped else { return String(decoding: UnsafeRawBufferPointer(rebasing: token.dropFirst().dropLast()), as: UTF8.self) }
        do {
            guard case .string(let s) = try JSONParser.parse(token) else { throw error("not a string") }
            return s
        } catch let e as EventEnvelope.ParseError {
            throw e
        } catch {
            throw self.error("bad string: \(error)")
        }
    }

    mutating func skipValue() throws {
        var depth = 0
        repeat {
            skipSpace()
            guard let b = peek() else { throw error("value expected") }
            switch b {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > TopLevelScanner.depthMax { throw error("nesting deeper than \(TopLevelScanner.depthMax)") }
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw error("unexpected closing bracket") }
                depth -= 1
                index += 1
            case UInt8(ascii: "\""):
                index += 1
                while true {
                    guard let c = peek() else { throw error("unterminated string") }
                    index += c == UInt8(ascii: "\\") ? 2 : 1
                    if c == UInt8(ascii: "\"") { break }
                }
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw error("unexpected separator") }
                index += 1
            default:
                let start = index
                while let c = peek(), c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != UInt8(ascii: "]"),
                      c != 0x20, c != 0x0A, c != 0x0D, c != 0x09, c != UInt8(ascii: ":") { index += 1 }
                if index == start { throw error("value expected") }
            }
            skipSpace()
        } while depth > 0
    }
}
