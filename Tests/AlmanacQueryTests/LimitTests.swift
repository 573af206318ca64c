import AlmanacDomain
import AlmanacQuery
import AlmanacSQLite
import Foundation
import Testing

/// Runaway queries stop at the time and row limits with a clear message.
@Suite("Query limits")
struct LimitTests {
    /// A read model with one monthly flow for 60 provinces over 2000..2020 (15,120 rows).
    static let bigPath: String = {
        do {
            let fixture = try ReadModelFixture()
            for definition in Dataset.definitions() { try fixture.indicator(definition) }
            try fixture.region(Region(code: "VN", name: "Việt Nam", asciiName: "Viet Nam", level: .nation, parentCode: nil))
            for index in 0..<60 {
                let code = "P\(index)"
                try fixture.region(Region(code: code, name: "Province \(index)", asciiName: "Province \(index)", level: .province,
                                          parentCode: "VN"))
                for year in 2000...2020 {
                    for month in 1...12 {
                        try fixture.observe("budget.revenue", code, [("measure", "actual")], period: Dataset.month(year, month),
                                            value: String(index * 7 + month + year % 13), unit: "bn_vnd", known: "2021-01-01T00:00:00.000Z")
                    }
                }
            }
            return try fixture.commit()
        } catch {
            fatalError("cannot build the big read model: \(error)")
        }
    }()

    static let runaway = "from budget.* | during 1900..2100 | growth pop | growth yoy | change yoy | ytd | rank | derive x = value * rank"

    @Test func aRunawayQueryStopsAtTheTimeLimit() throws {
        let engine = try QueryEngine(readModelPath: Self.bigPath)
        let limits = QueryLimits(timeLimit: .milliseconds(10), rowLimit: nil)
        let start = ContinuousClock.now
        do {
            _ = try engine.run(Self.runaway, limits: limits)
            Issue.record("the query finished within 10 ms")
        } catch let error as QueryRuntimeError {
            #expect(error.message == "query stopped after 10 ms time limit")
            #expect(error.limitExceeded == .time(.milliseconds(10)))
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func tooManyRowsStopAtTheRowLimit() throws {
        let engine = try QueryEngine(readModelPath: Self.bigPath)
        do {
            _ = try engine.run("from budget.revenue | during 2000..2020", limits: QueryLimits(timeLimit: .seconds(30), rowLimit: 1_000))
            Issue.record("the query returned more than 1,000 rows")
        } catch let error as QueryRuntimeError {
            #expect(error.message == "query stopped after 1,000 rows (row limit)")
        }
        let exact = try engine.run("from budget.revenue | during 2020-01 | take 60", limits: QueryLimits(rowLimit: 60))
        #expect(exact.rows.count == 60)
    }

    @Test func theDefaultLimitsAreTenSecondsAndAMillionRows() {
        let limits = QueryLimits()
        #expect(limits.timeLimit == .seconds(10))
        #expect(limits.rowLimit == 1_000_000)
    }
}
