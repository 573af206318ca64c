import Foundation

/// A numeric value kept exactly as the agency wrote it.
///
/// Accepted form: `-?digits(.digits)?`, with at most ``significantDigitsMax`` significant digits
/// and ``charactersMax`` characters; surrounding spaces are trimmed. Nothing else: **exponent
/// form (`1e5`) is rejected**, because no agency publishes statistics that way, a value in
/// exponent form has passed through a float somewhere, and accepting it would invite `1e308`.
/// Rejections explain the likely cause and the fix (see ``DecimalTextError``).
///
/// Equality (`==`, `Hashable`) is on the exact text: `1.50` and `1.5` are different *texts*.
/// Use ``numericallyEquals(_:)`` or ``canonical`` to compare numbers.
public struct DecimalText: Sendable, Hashable, Codable, CustomStringConvertible {
    /// At most this many significant digits: 20 covers any VND amount to the dong with room
    /// to spare, and stays within what a SQLite REAL or a decimal library can compare.
    public static let significantDigitsMax = 20
    /// At most this many characters, so `0.000…1` cannot smuggle in a long string.
    public static let charactersMax = 40

    /// The value as written (trimmed).
    public let text: String

    /// Validates `text` as a plain decimal number.
    ///
    /// - Throws: ``DecimalTextError`` naming the problem and the fix.
    public init(_ text: String) throws(DecimalTextError) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let error = DecimalText.problem(t, original: text) { throw error }
        self.text = t
    }

    /// The value as written.
    public var description: String { text }

    /// The nearest `Double`, for range checks and display; never for storage.
    public var doubleValue: Double { Double(text)! }

    /// Whether the number is below zero (`-0` is not).
    public var isNegative: Bool { canonical.hasPrefix("-") }

    /// The number in a canonical spelling: no leading zeros in the integer part, no trailing
    /// zeros in the fraction, no `-0`: `-001.500` → `-1.5`, `0.0` → `0`.
    public var canonical: String {
        let negative = text.hasPrefix("-")
        let body = negative ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        var integer = String(parts[0].drop { $0 == "0" })
        if integer.isEmpty { integer = "0" }
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let magnitude = fraction.isEmpty ? integer : "\(integer).\(fraction)"
        return negative && magnitude != "0" ? "-" + magnitude : magnitude
    }

    /// Whether the two texts denote the same number (`1.50` and `1.5`, `-0` and `0`).
    public func numericallyEquals(_ other: DecimalText) -> Bool { canonical == other.canonical }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try DecimalText(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// Why a text is not a plain decimal number, with the fix.
public struct DecimalTextError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in classes a program can branch on.
    public enum Kind: String, Sendable, Hashable, Codable {
        case empty, tooLong, missingMarker, notANumber, infinite, exponent, flag, decimalComma
        case thousandsSeparator, plusSign, unitSign, tooManyDigits, malformed
    }

    /// The class of the error.
    public let kind: Kind
    /// The text as given (cut to 64 characters).
    public let input: String
    /// One sentence saying what is wrong, quoting the input.
    public let message: String
    /// What to do instead.
    public let hint: String?

    /// Creates an error; `input` is cut to 64 characters.
    public init(_ kind: Kind, input: String, message: String, hint: String? = nil) {
        self.kind = kind
        self.input = String(input.prefix(64))
        self.message = message
        self.hint = hint
    }

    /// `message (hint: …)`.
    public var description: String { hint.map { "\(message) (hint: \($0))" } ?? message }
}
