import AlmanacQuery

/// Cell and line encodings of the text export formats (documented in `docs/exports.md`).
public enum ExportEncoding {
    // MARK: - CSV

    /// The cell as written to an exported CSV file, before RFC 4180 quoting.
    ///
    /// **Neutralisation rule.** A cell that starts with `=`, `+`, `-`, `@`, a tab or a
    /// carriage return gets a leading `'`, so a spreadsheet shows it as text instead of
    /// running it as a formula, **unless the whole cell is a plain number** (JSON's number
    /// grammar: an optional `-`, digits without a leading zero, an optional fraction and
    /// exponent), such as `-1.5`, `-0.25` or `-3e5`: those stay numbers. Applies to every
    /// cell, the header included.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.utf8.first, ResultFormatter.startsFormula(first), !isPlainNumber(text) else { return text }
        return "'" + text
    }

    /// RFC 4180: quoted (quotes doubled) when the cell holds a comma, a quote, CR or LF;
    /// the same rule as `almanac query --format csv`.
    public static func csvField(_ text: String) -> String { ResultFormatter.field(text) }

    /// One CSV line (neutralised, quoted, comma-separated, CRLF).
    public static func csvLine(_ cells: [String]) -> String {
        cells.map { csvField(neutralised($0)) }.joined(separator: ",") + "\r\n"
    }

    /// Whether `text` follows JSON's number grammar (`-? int frac? exp?`, no leading zeros).
    public static func isPlainNumber(_ text: String) -> Bool { ResultFormatter.isJSONNumber(text) }

    // MARK: - JSON

    /// A JSON string literal, escaped as `almanac query --format json` escapes it.
    public static func jsonString(_ text: String) -> String { ResultFormatter.jsonString(text) }
}
