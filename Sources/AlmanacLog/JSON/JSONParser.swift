/// A strict RFC 8259 JSON parser that works on raw bytes.
///
/// Strict means: one value with optional whitespace around it; no comments, trailing
/// commas, single quotes, leading `+` or zeros, `NaN`/`Infinity`, unescaped control
/// characters, lone surrogates, invalid UTF-8, or a byte order mark. Duplicate keys in
/// one object are an error (RFC 8259 leaves them undefined; Almanac refuses to guess).
/// Numbers keep their exact text. Nesting is limited (default 64), as is the input size.
public struct JSONParser: ~Copyable {
    let bytes: UnsafeRawBufferPointer
    let limits: JSONParseLimits
    var pos = 0

    private init(bytes: UnsafeRawBufferPointer, limits: JSONParseLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Parses one JSON text.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - limits: depth and size limits.
    /// - Returns: the value, numbers as text and object keys in document order.
    /// - Throws: `JSONParseError` naming line, column and byte offset of the problem.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, limits: limits)
        if bytes.count > limits.maxBytes {
            throw parser.error(at: 0, "JSON text is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)")
        }
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw parser.error(at: 0, "JSON text starts with a UTF-8 byte order mark")
        }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.pos < bytes.count {
            throw parser.error(at: parser.pos, "unexpected \(parser.describe(parser.pos)) after the JSON value")
        }
        return value
    }

    /// Parses one JSON text held in an array.
    public static func parse(_ bytes: [UInt8], limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { raw in
            do throws(JSONParseError) { return .success(try parse(raw, limits: limits)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Parses a JSON text held in a string.
    public static func parse(_ text: String, limits: JSONParseLimits = .default) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard pos < bytes.count else { throw error(at: pos, "unexpected end of input, expected a value") }
        switch bytes[pos] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error(at: pos, "unexpected \(describe(pos)), expected a value")
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw error(at: pos, "nesting deeper than \(limits.maxDepth) levels") }
        pos += 1
        var members: [(key: String, value: JSONValue)] = []
        var seen: Set<String> = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
        while true {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else {
                throw error(at: pos, pos < bytes.count ? "expected a string key, found \(describe(pos))" : "unexpected end of input in an object")
            }
            let keyStart = pos
            let key = try parseString()
            // Small objects dominate; a linear scan beats hashing until they grow.
            let duplicate = members.count < 12 ? members.contains(where: { $0.key == key }) : !seen.insert(key).inserted
            if members.count == 11 { seen = Set(members.map(\.key)); seen.insert(key) }
            if duplicate { throw error(at: keyStart, "duplicate key \"\(key)\" in object") }
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw error(at: pos, "expected ':' after the key, found \(describe(pos))") }
            pos += 1
            skipWhitespace()
            members.append((key: key, value: try parseValue(depth: depth)))
            skipWhitespace()
            guard pos < bytes.count else { throw error(at: pos, "unexpected end of input in an object") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; skipWhitespace(); continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return .object(members) }
            throw error(at: pos, "expected ',' or '}' in an object, found \(describe(pos))")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        if depth > limits.maxDepth { throw error(at: pos, "nesting deeper than \(limits.maxDepth) levels") }
        pos += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
        while true {
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard pos < bytes.count else { throw error(at: pos, "unexpected end of input in an array") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; skipWhitespace(); continue }
            if bytes[pos] == UInt8(ascii: "]") { pos += 1; return .array(items) }
            throw error(at: pos, "expected ',' or ']' in an array, found \(describe(pos))")
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
        let n = word.utf8CodeUnitCount
        let p = word.utf8Start
        guard pos + n <= bytes.count else { throw error(at: pos, "invalid literal, expected \(word)") }
        for i in 0..<n where bytes[pos + i] != p[i] { throw error(at: pos, "invalid literal, expected \(word)") }
        pos += n
    }

    /// Checks the RFC 8259 number grammar and returns the text unchanged.
    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < bytes.count, isDigit(bytes[pos]) else { throw error(at: pos, "invalid number: expected a digit") }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < bytes.count && isDigit(bytes[pos]) { throw error(at: start, "invalid number: leading zero") }
        } else {
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw error(at: pos, "invalid number: expected a digit after '.'") }
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count && (bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E")) {
            pos += 1
            if pos < bytes.count && (bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-")) { pos += 1 }
            guard pos < bytes.count, isDigit(bytes[pos]) else { throw error(at: pos, "invalid number: expected a digit in the exponent") }
            while pos < bytes.count && isDigit(bytes[pos]) { pos += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    @inline(__always) private mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    // MARK: - Errors

    /// Builds an error for byte `offset`, computing line and column only now (the happy
    /// path never counts lines).
    func error(at offset: Int, _ reason: String) -> JSONParseError {
        var line = 1
        var column = 1
        var i = 0
        let end = min(offset, bytes.count)
        while i < end {
            let b = bytes[i]
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return JSONParseError(line: line, column: column, offset: offset, reason: reason)
    }

    /// Names the byte at `offset` for a message: `'x'`, `byte 0x00` or `end of input`.
    func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let b = bytes[offset]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }
}
