@testable import AlmanacQuery
import Testing

/// The executor tells a number column's text cells from words by their bytes when it can
/// (`isPlainDecimal`), and by `Double` otherwise: the fast test must never call a text a
/// number that `Double` would not read.
@Suite struct ExecutorCellTests {
    @Test func plainDecimalsAreWhatDoubleReads() {
        let samples = ["0", "6.5", "-3.25", "100", "-0", ".5", "-.5", "5.", "00012", "1234567890123456789012345", "",
                       "-", ".", "-.", "1.2.3", "--1", "+1", "1e5", "1E-3", "inf", "nan", "0x1p3", " 1", "1 ", "1,5",
                       "−1", "١٢", "6.5%", "n/a"]
        for text in samples {
            if QueryExecutor.isPlainDecimal(text) { #expect(Double(text) != nil, "\(text)") }
        }
        #expect(["0", "6.5", "-3.25", ".5", "5."].allSatisfy(QueryExecutor.isPlainDecimal))
        #expect(!["", "-", ".", "1.2.3", "--1", "+1", "1e5", "inf", " 1", "1,5", "−1"].contains(where: QueryExecutor.isPlainDecimal))
    }
}
