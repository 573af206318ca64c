/// Walks the members of one JSON object without building a tree: for each member it hands
/// out the key's raw bytes (between the quotes, escapes left as written) and the value's
/// raw bytes. Nested values are skipped structurally. Used where a payload is decoded per
/// event (projections), where `JSONParser`'s tree would allocate too much.
public enum JSONObjectScanner {
    public struct Error: Swift.Error, CustomStringConvertible, Sendable {
        public var offset: Int
        public var reason: String
        public var description: String { "JSON: \(reason) at byte \(offset)" }
    }

    /// Calls `body` with each member's key and value bytes, in order.
    public static func forEachMember(_ object: UnsafeRawBufferPointer,
                                     _ body: (_ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void) throws {
        var s = TopLevelScanner(bytes: object)
        do {
            s.skipSpace()
            try s.expect(UInt8(ascii: "{"))
            s.skipSpace()
            if s.peek() == UInt8(ascii: "}") { return }
            while true {
                s.skipSpace()
                try s.expect(UInt8(ascii: "\""))
                let keyStart = s.index
                while let c = s.peek(), c != UInt8(ascii: "\"") { s.index += c == UInt8(ascii: "\\") ? 2 : 1 }
                guard s.index < object.count else { throw s.error("unterminated key") }
                let key = UnsafeRawBufferPointer(rebasing: object[keyStart..<s.index])
                s.index += 1
                s.skipSpace()
                try s.expect(UInt8(ascii: ":"))
                s.skipSpace()
                let valueStart = s.index
                try s.skipValue()
                var valueEnd = s.index
                while valueEnd > valueStart, object[valueEnd - 1] == 0x20 || object[valueEnd - 1] == 0x0A || object[valueEnd - 1] == 0x0D || object[valueEnd - 1] == 0x09 { valueEnd -= 1 }
                try body(key, UnsafeRawBufferPointer(rebasing: object[valueStart..<valueEnd]))
                s.skipSpace()
                if s.peek() == UInt8(ascii: ",") { s.index += 1; continue }
                try s.expect(UInt8(ascii: "}"))
                return
            }
        } catch let e as EventEnvelope.ParseError {
            throw Error(offset: e.offset, reason: e.reason)
        }
    }

    /// True when raw key bytes equal `name` (keys with escapes never match a plain name).
    @inlinable
    public static func key(_ key: UnsafeRawBufferPointer, is name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }

    /// The string a raw value holds (`"…"` decoded), or nil when the value is not a string.
    public static func string(_ value: UnsafeRawBufferPointer) -> String? {
        guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") else { return nil }
        let inner = UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)])
        if memchr(inner.baseAddress!, Int32(UInt8(ascii: "\\")), inner.count) == nil {
            return String(decoding: inner, as: UTF8.self)
        }
        var s = TopLevelScanner(bytes: value)
        return try? s.string()
    }

    /// The unquoted bytes of a string value without escapes (fast path), else nil.
    public static func plainStringBytes(_ value: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard value.count >= 2, value.first == UInt8(ascii: "\""), value.last == UInt8(ascii: "\"") else { return nil }
        let inner = UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)])
        if inner.count > 0, memchr(inner.baseAddress!, Int32(UInt8(ascii: "\\")), inner.count) != nil { return nil }
        return inner
    }

    /// The integer a raw number value holds, or nil.
    public static func int64(_ value: UnsafeRawBufferPointer) -> Int64? {
        Int64(String(decoding: value, as: UTF8.self))
    }
}

import Glibc
