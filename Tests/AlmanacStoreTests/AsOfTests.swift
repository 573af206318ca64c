import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

/// For a scripted series of submissions with revisions and retractions, the value known at
/// each instant (from the read model's versions, and by the SQL docs/read-models.md shows)
/// equals a reference computed here, independently, from the script.
@Suite struct AsOfTests {
    /// (release date, value or nil for a retraction, status)
    static let script: [(date: String, value: String?, status: String)] = [
        ("2021-07-05", "6.5", "preliminary"),
        ("2021-08-20", "6.4", "estimated"),
        ("2021-10-05", "6.52", "revised"),
        ("2022-01-10", nil, "final"),
        ("2022-03-01", "6.6", "final"),
        ("2023-02-01", "6.61", "final"),
    ]

    /// The reference: the last scripted value released on or before the end of `day`.
    static func reference(at day: String) -> String? {
        var known: String?
        for step in script where step.date <= day { known = step.value }
        return known
    }

    @Test func valueAsKnownAtEachInstantMatchesTheReference() throws {
        let t = try TestStore()
        for (i, step) in Self.script.enumerated() {
            t.clock.advance(seconds: 86_400)
            let line: String
            if let v = step.value {
                line = "gdp.grdp_growth,19,2021-H1,\(v),percent,\(step.status),\(step.date),report\n"
            } else {
                line = "gdp.grdp_growth,19,2021-H1,,percent,\(step.status),\(step.date),retract\n"
            }
            let o = try t.ingest("step\(i).csv", nativeHeader.dropLast() + ",action\n" + line, agency: "tn-pso")
            #expect(o.counts != nil, "step \(i): \(String(describing: o.rejectedIssues))")
        }
        let (db, _) = try t.store.readModel.openCaughtUp()
        let sql = """
            SELECT v.value, v.kind FROM observation_versions v JOIN series s ON s.id = v.series_id
            WHERE s.indicator = 'gdp.grdp_growth' AND s.region = '19' AND v.period = '2021-H1'
              AND v.known_from <= ? AND (v.known_to IS NULL OR v.known_to > ?)
            """
        // The SQL of docs/read-models.md, for the day before its date (the end of that day).
        let documented = try #require(try DocsExamplesTests.blocks("read-models.md").first { $0.info == "sql" }).body
        let nextDayLiteral = "'2021-07-13'"
        #expect(documented.components(separatedBy: nextDayLiteral).count == 4)
        let documentedSQL = "SELECT d.value FROM ("
            + documented.replacingOccurrences(of: nextDayLiteral, with: "?1").trimmingCharacters(in: .whitespacesAndNewlines.union(.init(charactersIn: ";")))
            + ") d JOIN series s ON s.id = d.series_id WHERE s.region = '19' AND d.period = '2021-H1'"
        var day = "2021-06-01"
        var checked = 0
        let calendar = Calendar(identifier: .gregorian)
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd"
        f.timeZone = TimeZone(identifier: "UTC")
        while day <= "2023-06-01" {
            let endOfDay = day + "T23:59:59.999Z"
            let rows = try db.rows(sql, arguments: [.text(endOfDay), .text(endOfDay)])
            #expect(rows.count <= 1, "at most one version is known at \(day)")
            let known: String? = rows.first.flatMap { row in
                if case .text(let v) = row[0], case .text("retracted") = row[1] { _ = v; return nil }
                if case .text(let v) = row[0] { return v }
                return nil
            }
            #expect(known == Self.reference(at: day), "as of \(day)")
            let next = f.string(from: calendar.date(byAdding: .day, value: 1, to: f.date(from: day)!)!)
            let documentedRows = try db.rows(documentedSQL, arguments: [.text(next)])
            #expect(documentedRows.map(\.first) == (Self.reference(at: day).map { [.text($0)] } ?? []), "docs/read-models.md as of \(day)")
            checked += 1
            day = f.string(from: calendar.date(byAdding: .day, value: 9, to: f.date(from: day)!)!)
        }
        #expect(checked > 70)
        // First release against latest.
        let first = try db.rows("""
            SELECT v.value FROM observation_versions v JOIN series s ON s.id = v.series_id
            WHERE s.region = '19' AND v.period = '2021-H1' AND v.kind != 'retracted' ORDER BY v.seq_from LIMIT 1
            """)
        #expect(first.first?.first == .text("6.5"))
        #expect(try db.firstValue("SELECT value FROM observations") == .text("6.61"))
    }
}
