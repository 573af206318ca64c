/// Writes numbers as plain decimal text (`1234.5`, `-0.25`, `100`), the only form Almanac
/// accepts: no exponent, no thousands separator, `.` as the decimal point.
///
/// Rounds half away from zero to `decimals` places and drops trailing zeros, so `6.50`
/// is written `6.5` and `100.00` is `100`. Integer arithmetic after the one rounding, so the
/// text never depends on the locale or on how a C library prints floats.
enum DecimalFormat {
    /// The largest magnitude written; every generated value is far below it.
    static let magnitudeMax = 1e15

    /// The plain decimal text of `value` rounded to `decimals` places (0...6).
    ///
    /// - Precondition: `value` is finite and below ``magnitudeMax`` in magnitude.
    static func text(_ value: Double, decimals: Int) -> String {
        precondition(value.isFinite && abs(value) < magnitudeMax, "value out of range: \(value)")
        precondition((0...6).contains(decimals), "decimals out of range: \(decimals)")
        var factor: Int64 = 1
        for _ in 0..<decimals { factor *= 10 }
        let scaled = Int64((abs(value) * Double(factor)).rounded(.toNearestOrAwayFromZero))
        if scaled == 0 { return "0" }
        let integer = scaled / factor
        var fraction = scaled % factor
        var digits = decimals
        while digits > 0, fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        var out = value < 0 ? "-" : ""
        out += String(integer)
        if digits > 0 {
            let f = String(fraction)
            out += "." + String(repeating: "0", count: digits - f.count) + f
        }
        return out
    }

    /// `text` with one unit added in its last decimal place (`6.5` → `6.6`, `12` → `13`).
    ///
    /// Used for the re-estimate rounds of ``Generator`` (scale above 1).
    static func nudged(_ text: String) -> String {
        let decimals = text.split(separator: ".").dropFirst().first?.count ?? 0
        var step = 1.0
        for _ in 0..<decimals { step /= 10 }
        return self.text(Double(text)! + step, decimals: decimals)
    }
}
