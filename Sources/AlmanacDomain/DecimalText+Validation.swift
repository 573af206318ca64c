import Foundation

extension DecimalText {
    /// Texts statistical agencies put where a value is missing (GSO `..`, Eurostat `:`).
    static let missingMarkers: Set<String> = ["..", "...", ":", ".", "-", "--", "–", "—", "…", "x", "n/a", "na", "nd"]

    /// The problem with `t` (already trimmed), or nil when it is a plain decimal number.
    static func problem(_ t: String, original: String) -> DecimalTextError? {
        let q = "'\(t.prefix(64))'"
        if t.isEmpty {
            return DecimalTextError(.empty, input: original, message: "empty value",
                                    hint: "leave the row out when there is no value")
        }
        guard t.count <= charactersMax else {
            return DecimalTextError(.tooLong, input: original,
                                    message: "value too long (\(t.count) characters, at most \(charactersMax))",
                                    hint: "write at most \(significantDigitsMax) significant digits")
        }
        let lower = t.lowercased()
        if missingMarkers.contains(lower) {
            return DecimalTextError(.missingMarker, input: original, message: "missing value marker \(q); leave the row out")
        }
        if ["nan", "-nan", "+nan"].contains(lower) {
            return DecimalTextError(.notANumber, input: original, message: "\(q) is not a number",
                                    hint: "leave the row out when there is no value")
        }
        if ["inf", "-inf", "+inf", "infinity", "-infinity", "+infinity", "∞", "-∞"].contains(lower) {
            return DecimalTextError(.infinite, input: original, message: "infinite value \(q)",
                                    hint: "write a finite number, or leave the row out")
        }
        let chars = Array(t)
        let isDigit = { (c: Character) in c.isASCII && c.isNumber }
        // The plain form; everything below only explains why a text is not in it.
        var i = chars.first == "-" ? 1 : 0
        let intStart = i
        while i < chars.count, isDigit(chars[i]) { i += 1 }
        let intDigits = i - intStart
        var fracDigits = 0
        if i < chars.count, chars[i] == ".", intDigits > 0 {
            i += 1
            let start = i
            while i < chars.count, isDigit(chars[i]) { i += 1 }
            fracDigits = i - start
            if fracDigits == 0 { i = -1 }
        }
        if i == chars.count, intDigits > 0 {
            let digits = chars.filter(isDigit).drop { $0 == "0" }.count
            guard digits <= significantDigitsMax else {
                return DecimalTextError(.tooManyDigits, input: original,
                                        message: "value \(q) has \(digits) significant digits, at most \(significantDigitsMax)",
                                        hint: "check the cell; no statistic is that precise")
            }
            return nil
        }
        return explain(t, q: q, original: original)
    }

    /// Names the likely cause of a text that is not a plain decimal number.
    private static func explain(_ t: String, q: String, original: String) -> DecimalTextError {
        func matches(_ pattern: String) -> Bool { t.range(of: pattern, options: .regularExpression) != nil }
        let number = "-?[0-9]+(\\.[0-9]+)?"
        if t.hasPrefix("\u{2212}") {
            return DecimalTextError(.malformed, input: original, message: "typographic minus sign in \(q)",
                                    hint: "write -\(t.dropFirst()) with an ASCII hyphen-minus")
        }
        if t.hasPrefix("+") {
            return DecimalTextError(.plusSign, input: original, message: "plus sign in \(q)", hint: "write \(t.dropFirst())")
        }
        if matches("^-?([0-9]+\\.?[0-9]*|\\.[0-9]+)[eE][-+]?[0-9]+$") {
            return DecimalTextError(.exponent, input: original, message: "exponent notation \(q) is not accepted",
                                    hint: "write the number in full digits; values are kept exactly as written")
        }
        if matches("^\(number)\\s*%$") {
            let bare = t.dropLast().trimmingCharacters(in: .whitespaces)
            return DecimalTextError(.unitSign, input: original, message: "unit sign in value \(q)",
                                    hint: "write \(bare) and percent in the unit column")
        }
        if matches("^\(number)\\s*[A-Za-z*]{1,3}$") {
            let value = String(t.prefix { $0 == "-" || $0 == "." || ($0.isASCII && $0.isNumber) })
            let flag = t.dropFirst(value.count).trimmingCharacters(in: .whitespaces)
            return DecimalTextError(.flag, input: original, message: "flag '\(flag)' after value \(q)",
                                    hint: "write \(value) as the value and the flag's meaning in the status column (p = preliminary, e = estimated)")
        }
        if matches("^-?[0-9]{1,3}(\\.[0-9]{3})+,[0-9]+$") {
            let fixed = t.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".")
            return DecimalTextError(.thousandsSeparator, input: original,
                                    message: "thousands separators and decimal comma in \(q)", hint: "write \(fixed)")
        }
        if matches("^-?[0-9]{1,3}(,[0-9]{3})+\\.[0-9]+$") || matches("^-?[0-9]{1,3}(,[0-9]{3}){2,}$")
            || matches("^-?[0-9]{1,3}(\\.[0-9]{3}){2,}$") || matches("^-?[0-9]{1,3}([  ][0-9]{3})+(\\.[0-9]+)?$") {
            let sep: Set<Character> = [",", " ", "\u{00A0}"]
            var fixed = String(t.filter { !sep.contains($0) })
            if !t.contains(",") && !t.contains(" ") && !t.contains("\u{00A0}") { fixed = t.replacingOccurrences(of: ".", with: "") }
            return DecimalTextError(.thousandsSeparator, input: original, message: "thousands separators in \(q)",
                                    hint: "write \(fixed)")
        }
        if matches("^-?[0-9]{1,3},[0-9]{3}$") {
            let asDecimal = t.replacingOccurrences(of: ",", with: ".")
            let asThousands = t.replacingOccurrences(of: ",", with: "")
            return DecimalTextError(.decimalComma, input: original,
                                    message: "comma in \(q) is a decimal comma or a thousands separator",
                                    hint: "write \(asDecimal) or \(asThousands), with no comma")
        }
        if matches("^-?[0-9]+,[0-9]+$") {
            return DecimalTextError(.decimalComma, input: original, message: "decimal comma in \(q)",
                                    hint: "write \(t.replacingOccurrences(of: ",", with: "."))")
        }
        if matches("^-?\\.[0-9]+$") {
            return DecimalTextError(.malformed, input: original, message: "no digit before the decimal point in \(q)",
                                    hint: "write \(t.replacingOccurrences(of: ".", with: "0."))")
        }
        if matches("^-?[0-9]+\\.$") {
            return DecimalTextError(.malformed, input: original, message: "no digit after the decimal point in \(q)",
                                    hint: "write \(t.dropLast())")
        }
        return DecimalTextError(.malformed, input: original, message: "\(q) is not a plain decimal number",
                                hint: "write digits with an optional leading - and one . as the decimal point, e.g. -1234.5")
    }
}
