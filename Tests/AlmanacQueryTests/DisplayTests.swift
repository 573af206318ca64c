import AlmanacQuery
import Foundation
import Testing

/// `QueryValue.display` formats without Foundation when it safely can; the result must be
/// what `%.*f` with trailing zeros removed gives.
@Suite("display of computed numbers")
struct DisplayTests {
    /// The reference: the formatting `display` is documented to do, through Foundation.
    static func reference(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let magnitude = abs(value)
        if magnitude >= 1e15 { return String(format: "%.6g", value) }
        var decimals = 2
        if magnitude > 0, magnitude < 1 { decimals = min(6, max(2, 2 - Int(floor(log10(magnitude))))) }
        var text = String(format: "%.*f", decimals, value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    @Test func examples() {
        #expect(QueryValue.display(102.333333) == "102.33")
        #expect(QueryValue.display(0.012345) == "0.0123")
        #expect(QueryValue.display(-0.0) == "0")
        #expect(QueryValue.display(-0.0000001) == "0")
        #expect(QueryValue.display(2.0) == "2")
        #expect(QueryValue.display(-1.05) == "-1.05")
        #expect(QueryValue.display(0.125) == Self.reference(0.125))
        #expect(QueryValue.display(1.005) == Self.reference(1.005))
        #expect(QueryValue.display(1e15) == "1e+15")
    }

    @Test func agreesWithFoundationOnManyValues() {
        // A fixed sequence (an LCG), so a failure repeats.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var values: [Double] = []
        for exponent in -8...14 {
            for _ in 0..<400 {
                values.append((next() < 0.5 ? 1 : -1) * (1 + 9 * next()) * pow(10, Double(exponent)))
            }
        }
        // Ties and near-ties in decimal, the hard cases.
        for n in 0..<2_000 { values.append(Double(n) / 1000 + 0.005); values.append(Double(n) / 8) }
        for value in values {
            #expect(QueryValue.display(value) == Self.reference(value), "\(value)")
        }
    }
}
