/// Writes JSON text by hand into a `ByteBuffer`: the log's hot path cannot afford
/// `JSONEncoder`. Output is compact (no spaces), strings are escaped per RFC 8259, and
/// non-ASCII text is written as UTF-8, not as `\u` escapes.
public enum JSONWriter {
    /// Appends `string` as a JSON string literal, quotes included.
    @inline(__always)
    public static func appendString(_ string: String, to out: ByteBuffer) {
        var s = string
        s.withUTF8 { appendString(utf8: UnsafeRawBufferPointer($0), to: out) }
    }

    /// Appends the UTF-8 bytes as a JSON string literal. The bytes must be valid UTF-8.
    public static func appendString(utf8 bytes: UnsafeRawBufferPointer, to out: ByteBuffer) {
        out.reserve(bytes.count + 2)
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                if i > runStart { out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<i])) }
                switch b {
                case UInt8(ascii: "\""): out.append("\\\"")
                case UInt8(ascii: "\\"): out.append("\\\\")
                case 0x0A: out.append("\\n")
                case 0x0D: out.append("\\r")
                case 0x09: out.append("\\t")
                case 0x08: out.append("\\b")
                case 0x0C: out.append("\\f")
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append("\\u00")
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
                runStart = i + 1
            }
            i += 1
        }
        if n > runStart { out.append(UnsafeRawBufferPointer(rebasing: bytes[runStart..<n])) }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `"key":` (the key escaped).
    @inline(__always)
    public static func appendKey(_ key: String, to out: ByteBuffer) {
        appendString(key, to: out)
        out.append(UInt8(ascii: ":"))
    }
}
