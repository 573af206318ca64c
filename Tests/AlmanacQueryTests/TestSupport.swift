import AlmanacQuery
import Testing

/// Helpers for reading results in tests.
extension QueryResult {
    /// The rows as dictionaries from column name to cell text ("" for NULL).
    var records: [[String: String]] {
        rows.map { row in Dictionary(uniqueKeysWithValues: zip(columns.map(\.name), row.map(\.description))) }
    }

    /// The first row whose cells match every pair of `match`.
    func record(_ match: [String: String]) -> [String: String]? {
        records.first { record in match.allSatisfy { record[$0.key] == $0.value } }
    }
}

/// `value` rounded the way results show computed numbers.
func shown(_ value: Double) -> String { QueryValue.display(value) }
