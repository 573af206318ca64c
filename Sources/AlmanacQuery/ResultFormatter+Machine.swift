/// CSV and JSON, the formats for machines.
extension ResultFormatter {
    /// RFC 4180 CSV: a header row, CRLF line ends, a field quoted (its quotes doubled) when it
    /// holds a comma, a quote, CR or LF; NULL is an empty field.
    ///
    /// **Formula injection.** A text field (or header) starting with `=`, `+`, `-`, `@`, a tab
    /// or CR gets a leading `'`, so a spreadsheet shows it as text instead of running it as a
    /// formula (OWASP's CSV injection advice). Numbers are never changed: `-3.5` stays a
    /// number. Strip the `'` when reading the file as data.
    public static func csv(columns: [ResultColumn], rows: [[QueryValue]]) -> String {
        // Bytes appended to one buffer, each field read in place (a String per field, joined,
        // cost more than the statement for results of thousands of rows).
        var out = CSVBytes()
        out.bytes.reserveCapacity(64 * (rows.count + 1) * max(1, columns.count))
        for (index, column) in columns.enumerated() {
            if index > 0 { out.bytes.append(0x2C) }
            out.field(column.name, isText: true)
        }
        out.bytes.append(0x0D); out.bytes.append(0x0A)
        for row in rows {
            var first = true
            for value in row {
                if !first { out.bytes.append(0x2C) }
                first = false
                switch value {
                case .null: break
                case .number(let text): out.field(text, isText: false)
                case .text(let text): out.field(text, isText: true)
                }
            }
            out.bytes.append(0x0D); out.bytes.append(0x0A)
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The bytes that make a spreadsheet read a cell as a formula when it starts with one:
    /// `=`, `+`, `-`, `@`, tab and CR (each one ASCII byte in UTF-8).
    public static func startsFormula(_ byte: UInt8) -> Bool {
        byte == 0x3D || byte == 0x2B || byte == 0x2D || byte == 0x40 || byte == 0x09 || byte == 0x0D
    }

    /// Whether a field holding `byte` (a comma, a quote, CR or LF) is quoted in CSV.
    static func needsQuotes(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x22 || byte == 0x0D || byte == 0x0A
    }

    /// RFC 4180: the field as is, or quoted (its quotes doubled) when it holds a comma, a
    /// quote, CR or LF.
    public static func field(_ text: String) -> String {
        // Bytes, not characters: a comma, quote, CR or LF is one ASCII byte in UTF-8 (and
        // CRLF, one character, holds both), and bytes need no grapheme breaking.
        guard text.utf8.contains(where: needsQuotes) else { return text }
        return "\"" + text.replacingAll("\"", with: "\"\"") + "\""
    }

    /// A JSON array of objects, one per line, keys in column order; numbers as JSON numbers
    /// (the decimal text exactly), text as strings, NULL as `null`.
    public static func json(columns: [ResultColumn], rows: [[QueryValue]]) -> String {
        guard !rows.isEmpty else { return "[]\n" }
        let keys = columns.map { jsonString($0.name) }
        let objects = rows.map { row in
            "  {" + zip(keys, row).map { key, value in "\(key): \(jsonValue(value))" }.joined(separator: ", ") + "}"
        }
        return "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    static func jsonValue(_ value: QueryValue) -> String {
        switch value {
        case .null: return "null"
        case .text(let text): return jsonString(text)
        case .number(let text): return isJSONNumber(text) ? text : (Double(text).map { QueryValue.display($0) } ?? jsonString(text))
        }
    }

    /// Whether `text` follows JSON's number grammar (`-? int frac? exp?`, no leading zeros).
    public static func isJSONNumber(_ text: String) -> Bool {
        var chars = Array(text.utf8)[...]
        if chars.first == UInt8(ascii: "-") { chars = chars.dropFirst() }
        let digits = chars.prefix { (48...57).contains($0) }
        guard !digits.isEmpty, digits.count == 1 || digits.first != 48 else { return false }
        chars = chars.dropFirst(digits.count)
        if chars.first == UInt8(ascii: ".") {
            let fraction = chars.dropFirst().prefix { (48...57).contains($0) }
            guard !fraction.isEmpty else { return false }
            chars = chars.dropFirst(1 + fraction.count)
        }
        if let e = chars.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            chars = chars.dropFirst()
            if let sign = chars.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { chars = chars.dropFirst() }
            let exponent = chars.prefix { (48...57).contains($0) }
            guard !exponent.isEmpty else { return false }
            chars = chars.dropFirst(exponent.count)
        }
        return chars.isEmpty
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped (and
    /// U+2028/U+2029, which some JavaScript readers take for line ends).
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension String {
    /// The string with every `target` character replaced.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}

/// The bytes of a CSV text being written.
struct CSVBytes {
    var bytes: [UInt8] = []

    /// One field: quoted (quotes doubled) when it holds a comma, a quote, CR or LF; a text
    /// that starts like a formula gets a leading `'`.
    mutating func field(_ text: String, isText: Bool) {
        var text = text
        text.withUTF8 { field($0, isText: isText) }
    }

    mutating func field(_ field: UnsafeBufferPointer<UInt8>, isText: Bool) {
        let quoted = field.contains(where: ResultFormatter.needsQuotes)
        if quoted { bytes.append(0x22) }
        if isText, let first = field.first, ResultFormatter.startsFormula(first) { bytes.append(0x27) }
        if quoted {
            for byte in field {
                bytes.append(byte)
                if byte == 0x22 { bytes.append(0x22) }
            }
            bytes.append(0x22)
        } else {
            bytes.append(contentsOf: field)
        }
    }
}
