import Foundation
import Testing
@testable import AlmanacDomain

@Suite struct DecimalTextTests {
    func error(_ s: String) -> DecimalTextError? {
        do {
            _ = try DecimalText(s)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["0", "6.5", "-3.2", "1234.5", "007", "0.000001", "-0", "12345678901234567890",
                      "1.234", " 42 ", "9999999999999999999.9", "-0.00000000000000000001"])
    func acceptsPlainDecimals(text: String) throws {
        let value = try DecimalText(text)
        #expect(value.text == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: [
        ("0,9", DecimalTextError.Kind.decimalComma, "decimal comma in '0,9'", String?("write 0.9")),
        ("1,234", .decimalComma, "comma in '1,234' is a decimal comma or a thousands separator",
         "write 1.234 or 1234, with no comma"),
        ("1.234.567", .thousandsSeparator, "thousands separators in '1.234.567'", "write 1234567"),
        ("1,234,567", .thousandsSeparator, "thousands separators in '1,234,567'", "write 1234567"),
        ("1,234.5", .thousandsSeparator, "thousands separators in '1,234.5'", "write 1234.5"),
        ("1.234,5", .thousandsSeparator, "thousands separators and decimal comma in '1.234,5'", "write 1234.5"),
        ("1 234 567", .thousandsSeparator, "thousands separators in '1 234 567'", "write 1234567"),
        ("..", .missingMarker, "missing value marker '..'; leave the row out", nil),
        (":", .missingMarker, "missing value marker ':'; leave the row out", nil),
        (".", .missingMarker, "missing value marker '.'; leave the row out", nil),
        ("-", .missingMarker, "missing value marker '-'; leave the row out", nil),
        ("0.9 u", .flag, "flag 'u' after value '0.9 u'",
         "write 0.9 as the value and the flag's meaning in the status column (p = preliminary, e = estimated)"),
        ("12e", .flag, "flag 'e' after value '12e'",
         "write 12 as the value and the flag's meaning in the status column (p = preliminary, e = estimated)"),
        ("5 p", .flag, "flag 'p' after value '5 p'",
         "write 5 as the value and the flag's meaning in the status column (p = preliminary, e = estimated)"),
        ("NaN", .notANumber, "'NaN' is not a number", "leave the row out when there is no value"),
        ("Inf", .infinite, "infinite value 'Inf'", "write a finite number, or leave the row out"),
        ("-Infinity", .infinite, "infinite value '-Infinity'", "write a finite number, or leave the row out"),
        ("1e308", .exponent, "exponent notation '1e308' is not accepted",
         "write the number in full digits; values are kept exactly as written"),
        ("2.5E-3", .exponent, "exponent notation '2.5E-3' is not accepted",
         "write the number in full digits; values are kept exactly as written"),
        ("123456789012345678901234567890", .tooManyDigits,
         "value '123456789012345678901234567890' has 30 significant digits, at most 20",
         "check the cell; no statistic is that precise"),
        ("", .empty, "empty value", "leave the row out when there is no value"),
        ("   ", .empty, "empty value", "leave the row out when there is no value"),
        ("\u{2212}5", .malformed, "typographic minus sign in '\u{2212}5'", "write -5 with an ASCII hyphen-minus"),
        ("+5", .plusSign, "plus sign in '+5'", "write 5"),
        ("6.5%", .unitSign, "unit sign in value '6.5%'", "write 6.5 and percent in the unit column"),
        (".5", .malformed, "no digit before the decimal point in '.5'", "write 0.5"),
        ("5.", .malformed, "no digit after the decimal point in '5.'", "write 5"),
        ("1-2", .malformed, "'1-2' is not a plain decimal number",
         "write digits with an optional leading - and one . as the decimal point, e.g. -1234.5"),
        ("٣", .malformed, "'٣' is not a plain decimal number",
         "write digits with an optional leading - and one . as the decimal point, e.g. -1234.5"),
    ])
    func rejectsWithReasonAndHint(text: String, kind: DecimalTextError.Kind, message: String, hint: String?) {
        let e = error(text)
        #expect(e?.kind == kind)
        #expect(e?.message == message)
        #expect(e?.hint == hint)
    }

    @Test func tooLong() {
        let e = error("0." + String(repeating: "0", count: 50) + "1")
        #expect(e?.kind == .tooLong)
        #expect(e?.message == "value too long (53 characters, at most 40)")
    }

    @Test func numericEquality() throws {
        #expect(try DecimalText("1.50").numericallyEquals(DecimalText("1.5")))
        #expect(try DecimalText("-0.0").numericallyEquals(DecimalText("0")))
        #expect(try DecimalText("007.10").canonical == "7.1")
        #expect(try !DecimalText("1.5").numericallyEquals(DecimalText("-1.5")))
        #expect(try !DecimalText("10").numericallyEquals(DecimalText("1")))
        // Exact-text equality stays exact.
        #expect(try DecimalText("1.50") != DecimalText("1.5"))
    }

    @Test func doubleForRangeChecks() throws {
        #expect(try DecimalText("6.5").doubleValue == 6.5)
        #expect(try DecimalText("-1234.25").doubleValue == -1234.25)
        #expect(try DecimalText("-0").isNegative == false)
        #expect(try DecimalText("-0.1").isNegative)
    }

    @Test func codableAsString() throws {
        let data = try JSONEncoder().encode([DecimalText("1.50")])
        #expect(String(decoding: data, as: UTF8.self) == #"["1.50"]"#)
        #expect(try JSONDecoder().decode([DecimalText].self, from: data).first?.text == "1.50")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([DecimalText].self, from: Data(#"["0,9"]"#.utf8)) }
    }
}
