import AlmanacDomain
import AlmanacLog
import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Foundation
import Testing

/// Readers querying the read model while a large ingest is projected only ever see whole
/// submissions: for every submission visible, exactly as many current observations as it
/// reported, and never a submission's rows without its audit record.
///
/// `ALMANAC_CONCURRENT_OBSERVATIONS` sets the size (default 1,000,000).
@Suite struct ConcurrentReadersTests {
    static var observations: Int { Int(ProcessInfo.processInfo.environment["ALMANAC_CONCURRENT_OBSERVATIONS"] ?? "") ?? 1_000_000 }

    @Test func readersSeeOnlyWholeSubmissions() async throws {
        let t = try TestStore()
        let total = Self.observations
        let perSubmission = max(total / 20, 1)
        let regions = RegionCatalogue.standard.regions.filter { $0.level == .province && $0.validTo != nil }.map(\.code)
        let items = ["total", "domestic", "state_enterprises", "fdi_enterprises", "non_state", "land_houses", "fees"]
        let storePath = t.path
        let logPath = t.store.layout.log

        let writer = Task.detached { () throws -> Int in
            let store = Store(path: storePath)
            store.durability = .none
            var written = 0
            var submissions = 0
            while written < total {
                let n = min(perSubmission, total - written)
                let start = written
                try store.withWriter { w in
                    _ = try w.append { enc in
                        let submission = enc.firstSequence
                        let accepted = SubmissionAccepted(agency: "gso", file: "big-\(submissions).csv", sha256: String(repeating: "0", count: 63) + "\(submissions % 10)",
                                                          format: "native_csv", bytes: n * 40, rows: n, reported: n, revised: 0, unchanged: 0,
                                                          retracted: 0, releaseDate: nil, archive: "archive/none", signed: false)
                        let data = try! PayloadCoding.encode(accepted)
                        enc.add(type: "SubmissionAccepted") { $0.append(data) }
                        for i in start..<(start + n) {
                            let region = regions[i % regions.count]
                            let item = items[(i / regions.count) % items.count]
                            let measure = (i / (regions.count * items.count)) % 2 == 0 ? "actual" : "plan"
                            let month = (i / (regions.count * items.count * 2)) % 12 + 1
                            let year = 1950 + i / (regions.count * items.count * 2 * 12)
                            let e = ObservationEvent(kind: .reported, submission: submission, indicator: "budget.revenue", region: region,
                                                     period: "\(year)-\(month < 10 ? "0" : "")\(month)", dims: [("item", item), ("measure", measure)],
                                                     value: "\(i % 100_000).5", unit: "bn_vnd", status: "final")
                            enc.add(type: "ObservationReported") { e.write(to: $0) }
                        }
                    }
                    let (db, _) = try store.readModel.openCaughtUp()
                    _ = db
                }
                written += n
                submissions += 1
            }
            return submissions
        }

        let reader = Task.detached { () throws -> (reads: Int, maxSeen: Int) in
            let store = Store(path: storePath)
            var reads = 0
            var maxSeen = 0
            while true {
                guard let path = store.readModel.current()?.path else { continue }
                let db = try Database(path: path, options: .readOnlyQueries)
                // One read transaction: one consistent snapshot of the model.
                try db.execute("BEGIN")
                let perSubmission = try db.rows("SELECT submission, count(*) FROM observations WHERE submission > 112 GROUP BY submission")
                let audit = try db.rows("SELECT seq, reported FROM submissions WHERE status = 'accepted' AND file LIKE 'big-%'")
                try db.execute("COMMIT")
                let reported = Dictionary(uniqueKeysWithValues: audit.map { ($0[0], $0[1]) })
                for row in perSubmission {
                    #expect(reported[row[0]] == row[1], "submission \(row[0]) partly visible: \(row[1]) rows of \(String(describing: reported[row[0]]))")
                }
                #expect(perSubmission.count == audit.count, "a submission's rows and its audit record are seen together")
                reads += 1
                maxSeen = max(maxSeen, audit.count)
                if audit.count == 20 || (total < 20 && audit.count == total) { break }
            }
            return (reads, maxSeen)
        }
        let submissions = try await writer.value
        let (reads, maxSeen) = try await reader.value
        #expect(maxSeen == submissions)
        #expect(reads >= 2)
        let (db, _) = try t.store.readModel.openCaughtUp()
        #expect(try db.firstValue("SELECT count(*) FROM observations WHERE submission > 112") == .integer(Int64(total)))
        _ = logPath
    }
}
