import Foundation

/// One cell of a query's result.
public enum QueryValue: Sendable, Hashable, CustomStringConvertible {
    /// No value: a missing comparison period, a retracted or unknown figure, an empty pivot cell.
    case null
    /// Text: codes, names, periods, times.
    case text(String)
    /// A number as decimal text: exactly as reported when the row passed through unchanged,
    /// else computed and rounded for display (see ``QueryValue/display(_:)``).
    case number(String)

    /// The cell as shown in a table: empty for NULL.
    public var description: String {
        switch self {
        case .null: return ""
        case .text(let text), .number(let text): return text
        }
    }

    /// The number, if the cell holds one.
    public var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// A computed number rounded for people: whole numbers without decimals, two decimals
    /// from 1 up, and three significant digits (at most six decimals) below 1, trailing
    /// zeros removed. `102.3333…` → `102.33`, `0.012345` → `0.0123`, `-0.0` → `0`.
    public static func display(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let magnitude = abs(value)
        if magnitude >= 1e15 { return String(format: "%.6g", value) }
        var decimals = 2
        if magnitude > 0, magnitude < 1 {
            decimals = min(6, max(2, 2 - Int(floor(log10(magnitude)))))
        }
        if let text = fastFixed(value, decimals: decimals) { return text }
        var text = String(format: "%.*f", decimals, value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    /// ``display(_:)`` without Foundation's formatter (slow enough per call to show in a
    /// result of thousands of computed numbers), for values whose scaled form is exact in a
    /// 64-bit integer and not within a millionth of a rounding tie, where `%.*f` (which rounds
    /// the exact binary value) and rounding the scaled double agree. Nil otherwise.
    /// `DisplayTests` checks it against `%.*f` on many values.
    static func fastFixed(_ value: Double, decimals: Int) -> String? {
        var power = 1.0
        for _ in 0..<decimals { power *= 10 }
        let scaled = abs(value) * power
        guard scaled < 9e15 else { return nil }
        let floor = scaled.rounded(.down)
        // The product's own rounding error is half an ulp: stay clear of ties by more.
        guard abs(scaled - floor - 0.5) > 1e-6 + scaled * 1e-15 else { return nil }
        var units = Int64(scaled.rounded())
        var digits: [UInt8] = []
        for _ in 0..<decimals {
            let digit = UInt8(units % 10)
            units /= 10
            if digits.isEmpty && digit == 0 { continue }  // trailing zeros of the fraction
            digits.append(48 + digit)
        }
        var text = value < 0 && (units > 0 || !digits.isEmpty) ? "-" : ""
        text += String(units)
        if !digits.isEmpty {
            text += "."
            text += String(decoding: digits.reversed(), as: UTF8.self)
        }
        return text
    }
}

/// The result of a query: columns, rows, warnings, and the text in the format asked for.
public struct QueryResult: Sendable, Hashable {
    /// The columns, in order.
    public var columns: [ResultColumn]
    /// The rows, each with one value per column.
    public var rows: [[QueryValue]]
    /// What the query could not do for every row (incomplete periods left out, ambiguous
    /// ratios), one sentence each; shown after the result.
    public var warnings: [String]
    /// The format of ``text``.
    public var format: OutputFormat
    /// The rows rendered in ``format``.
    public var text: String
    /// Whether the rows came from the query's ``CompiledQuery/shortcut`` (the data were
    /// complete), not from its general statement: the same answer, for tests and `--explain`.
    public var answeredByShortcut = false

    /// A result from its parts, rendered in `format`.
    public init(columns: [ResultColumn], rows: [[QueryValue]], warnings: [String], format: OutputFormat = .table) {
        self.columns = columns
        self.rows = rows
        self.warnings = warnings
        self.format = format
        text = ResultFormatter.format(columns: columns, rows: rows, as: format)
    }

    /// The values of one column, by name.
    public func values(of column: String) -> [QueryValue] {
        guard let index = columns.firstIndex(where: { $0.name == column }) else { return [] }
        return rows.map { $0[index] }
    }
}
