extension JSONParser {
    /// Parses a string literal at `pos` (which holds the opening quote): escapes,
    /// `\u` surrogate pairs, and UTF-8 validity of the raw bytes.
    mutating func parseString() throws(JSONParseError) -> String {
        let open = pos
        pos += 1
        let runStart = pos
        // Fast path: no escapes, the literal is a slice of the input.
        while pos < bytes.count {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[runStart..<pos])
                if let bad = UTF8Validator.firstInvalid(slice) { throw error(at: runStart + bad, "invalid UTF-8 in a string") }
                pos += 1
                return String(decoding: slice, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error(at: pos, "unescaped control character \(describe(pos)) in a string") }
            pos += 1
        }
        guard pos < bytes.count else { throw error(at: open, "unterminated string") }
        var out = [UInt8](UnsafeRawBufferPointer(rebasing: bytes[runStart..<pos]))
        while pos < bytes.count {
            let b = bytes[pos]
            switch b {
            case UInt8(ascii: "\""):
                pos += 1
                let invalid: Int? = out.withUnsafeBytes { UTF8Validator.firstInvalid($0) }
                if invalid != nil { throw error(at: open, "invalid UTF-8 in a string") }
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try appendEscape(to: &out)
            default:
                if b < 0x20 { throw error(at: pos, "unescaped control character \(describe(pos)) in a string") }
                out.append(b)
                pos += 1
            }
        }
        throw error(at: open, "unterminated string")
    }

    /// Decodes one escape sequence at `pos` (the backslash) and appends its UTF-8.
    private mutating func appendEscape(to out: inout [UInt8]) throws(JSONParseError) {
        let start = pos
        guard pos + 1 < bytes.count else { throw error(at: start, "unterminated escape sequence") }
        let c = bytes[pos + 1]
        pos += 2
        switch c {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(at: start)
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "\\"), bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw error(at: start, "high surrogate \\u\(String(scalar, radix: 16, uppercase: true)) without a low surrogate")
                }
                let lowStart = pos
                pos += 2
                let low = try hex4(at: lowStart)
                guard low >= 0xDC00 && low <= 0xDFFF else { throw error(at: lowStart, "expected a low surrogate after a high surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw error(at: start, "lone low surrogate \\u\(String(scalar, radix: 16, uppercase: true))")
            }
            // Safe: surrogates were excluded above and the value is at most 0x10FFFF.
            let u = Unicode.Scalar(scalar)!
            out.append(contentsOf: UTF8.encode(u)!)
        default:
            throw error(at: start, "invalid escape sequence \\\(describe(start + 1))")
        }
    }

    /// Reads four hex digits at `pos` (after `\u`).
    private mutating func hex4(at escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard pos + 4 <= bytes.count else { throw error(at: escapeStart, "truncated \\u escape") }
        var v: UInt32 = 0
        for i in 0..<4 {
            let b = bytes[pos + i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error(at: escapeStart, "invalid \\u escape: \(describe(pos + i)) is not a hex digit")
            }
            v = v << 4 | d
        }
        pos += 4
        return v
    }
}
