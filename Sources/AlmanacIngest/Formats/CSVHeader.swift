/// A header row read from a CSV file: names normalised for lookup, with positions, and
/// the checks every header-based format shares (no unnamed or duplicate columns).
struct CSVHeader {
    /// Names as written (trimmed), for messages and field locations.
    let names: [String]
    /// Names as looked up (trimmed, then transformed by the format, e.g. lowercased).
    let keys: [String]
    let positions: [TextPosition]
    let line: Int
    private let index: [String: Int]

    /// Validates `record` as a header.
    ///
    /// - Parameters:
    ///   - record: the header record.
    ///   - file: display name for errors.
    ///   - normalise: maps a trimmed name to its lookup key.
    /// - Throws: `.unnamedColumn` or `.duplicateColumn` at the offending cell.
    init(record: CSVRecord, file: String, normalise: (String) -> String) throws(IngestError) {
        var names: [String] = []
        var keys: [String] = []
        var index: [String: Int] = [:]
        for (i, raw) in record.fields.enumerated() {
            let name = raw.trimmingWhitespace()
            let key = normalise(name)
            let at = record.positions[i]
            if name.isEmpty {
                throw IngestError(.unnamedColumn, file: file, line: at.line, column: at.column,
                                  reason: "column \(i + 1) of the header has no name")
            }
            if let first = index[key] {
                throw IngestError(.duplicateColumn, file: file, line: at.line, column: at.column,
                                  reason: "duplicate column \"\(name)\" (columns \(first + 1) and \(i + 1))")
            }
            index[key] = i
            names.append(name)
            keys.append(key)
        }
        self.names = names
        self.keys = keys
        self.positions = record.positions
        self.line = record.line
        self.index = index
    }

    var count: Int { names.count }

    func column(_ key: String) -> Int? { index[key] }

    /// The index of a column that must exist.
    ///
    /// - Throws: `.missingColumn` naming the column and listing the header.
    func require(_ key: String, file: String, shownAs shown: String? = nil) throws(IngestError) -> Int {
        if let i = index[key] { return i }
        throw IngestError(.missingColumn, file: file, line: line, column: 1,
                          reason: "missing required column \"\(shown ?? key)\"",
                          hint: "the header has: " + names.joined(separator: ", "))
    }

    /// The location of cell `column` of `record`.
    func location(_ column: Int, in record: CSVRecord) -> FieldLocation {
        FieldLocation(header: names[column], columnNumber: column + 1, position: record.positions[column])
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, line breaks and NBSPs.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\u{00A0}" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// The header-only check every CSV format makes at the end of the file.
func headerOnlyError(file: String, headerLine: Int) -> IngestError {
    IngestError(.headerOnly, file: file, line: headerLine, reason: "file has a header row but no data rows",
                hint: "was the export cut short?")
}
