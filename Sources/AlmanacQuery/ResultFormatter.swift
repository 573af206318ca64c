/// The output formats of a query's result.
public enum OutputFormat: String, Sendable, Hashable, CaseIterable {
    /// Aligned columns for people: numbers right-aligned, text left-aligned, NULL blank.
    case table
    /// RFC 4180 CSV with a header row, for spreadsheets and scripts.
    case csv
    /// A JSON array with one object per row, for programs.
    case json
}

/// Renders rows in an ``OutputFormat``.
public enum ResultFormatter {
    /// The rows as text in `format`; every format ends with a newline.
    public static func format(columns: [ResultColumn], rows: [[QueryValue]], as format: OutputFormat) -> String {
        switch format {
        case .table: return table(columns: columns, rows: rows)
        case .csv: return csv(columns: columns, rows: rows)
        case .json: return json(columns: columns, rows: rows)
        }
    }

    /// Aligned columns separated by two spaces, a rule under the header, `(no rows)` when
    /// empty. Widths count characters, so Vietnamese names line up.
    public static func table(columns: [ResultColumn], rows: [[QueryValue]]) -> String {
        let cells = rows.map { $0.map { Self.oneLine($0.description) } }
        var widths = columns.map { width($0.name) }
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], width(cell)) }
        }
        func line(_ values: [String]) -> String {
            let padded = values.enumerated().map { index, value in
                let pad = String(repeating: " ", count: max(0, widths[index] - width(value)))
                return columns[index].kind == .text ? value + pad : pad + value
            }
            return padded.joined(separator: "  ").trailingSpacesRemoved
        }
        var lines = [line(columns.map(\.name)), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += cells.map(line)
        if rows.isEmpty { lines.append("(no rows)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The width of a cell in characters; for ASCII text (most cells), its bytes.
    static func width(_ text: String) -> Int {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.count
    }

    /// Control characters (a newline in a name) shown as spaces so a row stays one line.
    static func oneLine(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 >= 0x80 }) else { return text }
        return String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
    }
}
