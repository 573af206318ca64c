/// Cell and line encodings of the text export formats (documented in `docs/exports.md`).
public enum ExportEncoding {
    // MARK: - CSV

    /// Characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// The cell as written to an exported CSV file, before RFC 4180 quoting.
    ///
    /// **Neutralisation rule.** A cell that starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return gets a leading `'`, so a spreadsheet shows it as text instead of
    /// running it as a formula, **unless the whole cell is a plain number** (JSON's number
    /// grammar: an optional `-`, digits without a leading zero, an optional fraction and
    /// exponent), such as `-1.5`, `-0.25` or `-3e5`: those stay numbers. Applies to every
    /// cell, the header included.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, formulaStarts.contains(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    /// RFC 4180: quoted (quotes doubled) when the cell holds a comma, a quote, CR or LF.
    public static func csvField(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return text }
        var out = "\""
        for character in text.unicodeScalars {
            if character == "\"" { out += "\"\"" } else { out.unicodeScalars.append(character) }
        }
        return out + "\""
    }

    /// One CSV line (neutralised, quoted, comma-separated, CRLF).
    public static func csvLine(_ cells: [String]) -> String {
        cells.map { csvField(neutralised($0)) }.joined(separator: ",") + "\r\n"
    }

    /// Whether `text` follows JSON's number grammar (`-? int frac? exp?`, no leading zeros).
    public static func isPlainNumber(_ text: String) -> Bool {
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

    // MARK: - JSON

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
