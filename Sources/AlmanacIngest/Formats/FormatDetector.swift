/// Guesses a file's format from its first bytes; callers may override the guess.
public enum FormatDetector {
    /// Detects the format of a file from its head (the first few KiB are enough).
    ///
    /// JSON with `dataSets` or `structures` is SDMX-JSON; a CSV whose first cell is
    /// `DATAFLOW` is SDMX-CSV 1.0, `STRUCTURE` SDMX-CSV 2.0; a CSV whose first line is a
    /// single quoted cell (a title) before a delimited header is a PX-Web export;
    /// anything else is read as native CSV, whose reader then says what is missing.
    public static func detect(headBytes: [UInt8]) -> SourceFormat {
        var bytes = headBytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        let text = String(decoding: bytes.prefix(64 << 10), as: UTF8.self)
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" }
        if trimmed.first == "{" {
            return (trimmed.contains("\"dataSets\"") || trimmed.contains("\"structures\"")) ? .sdmxJSON : .nativeCSV
        }
        let firstLine = trimmed.prefix { $0 != "\n" && $0 != "\r" && $0 != "\r\n" }
        let firstCell = firstLine.prefix { $0 != "," && $0 != ";" && $0 != "\t" }
        let code = SDMXCSVReader.code(String(firstCell.filter { $0 != "\"" })).uppercased()
        if code == "DATAFLOW" { return .sdmxCSV1 }
        if code == "STRUCTURE" { return .sdmxCSV2 }
        if isTitleLine(firstLine) { return .pxWeb }
        return .nativeCSV
    }

    /// A PX-Web title: one quoted cell, no delimiter outside the quotes.
    private static func isTitleLine(_ line: Substring) -> Bool {
        guard line.count >= 2, line.first == "\"", line.last == "\"" else { return false }
        var inQuotes = false
        for c in line {
            if c == "\"" { inQuotes.toggle() } else if !inQuotes && (c == "," || c == ";" || c == "\t") { return false }
        }
        return true
    }
}
