import AlmanacTesting
import AlmanacDomain
import Foundation
import Testing
@testable import AlmanacIngest

/// The native CSV fast path (``NativeFastValidation``) must give exactly what the general
/// path gives: the same observations, issues (text, order, codes), counts and series.
@Suite struct FastPathEquivalenceTests {
    /// Validates `bytes` both ways and compares everything.
    func compare(_ bytes: [UInt8], agency: Agency? = nil, options: ValidationOptions = .init(),
                 limits: CSVLimits = .default, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let path = try temporaryFile(bytes, name: "eq.csv")
        var fast = SubmissionValidator(indicators: .standard, regions: .standard, agency: agency, options: options)
        var slow = fast
        fast.nativeFastPath = true
        slow.nativeFastPath = false
        let a = fast.validate(path: path, displayName: "eq.csv", limits: limits)
        let b = slow.validate(path: path, displayName: "eq.csv", limits: limits)
        #expect(a.observations == b.observations, sourceLocation: sourceLocation)
        #expect(a.issues == b.issues, sourceLocation: sourceLocation)
        #expect(a.issueCount == b.issueCount, sourceLocation: sourceLocation)
        #expect(a.rowsRead == b.rowsRead, sourceLocation: sourceLocation)
        #expect(a.rowsSkipped == b.rowsSkipped, sourceLocation: sourceLocation)
        #expect(a.identicalDuplicates == b.identicalDuplicates, sourceLocation: sourceLocation)
        #expect(a.isAccepted == b.isAccepted, sourceLocation: sourceLocation)
        #expect(seriesText(a) == seriesText(b), sourceLocation: sourceLocation)
        #expect(a.seriesOfObservation.count == a.observations.count, sourceLocation: sourceLocation)
    }

    func compare(_ text: String, agency: Agency? = nil, options: ValidationOptions = .init(),
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        try compare(Array(text.utf8), agency: agency, options: options, sourceLocation: sourceLocation)
    }

    /// Each observation's series, as text.
    func seriesText(_ r: ValidationResult) -> [String] {
        r.seriesOfObservation.map { s in
            let i = r.series[Int(s)]
            return "\(i.indicator)|\(i.region)|\(i.dimsKey)|" + i.dims.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
        }
    }

    @Test func handPickedFiles() throws {
        let nfd = "Thái Nguyên".decomposedStringWithCanonicalMapping
        let files = [
            "indicator,region,period,value,unit,status,release_date\n"
                + "gdp.grdp_growth,19,2021-H1,6.5,percent,preliminary,2021-07-05\n"
                + "gdp.grdp_growth,01,2021-H1,5.9,percent,p,2021-07-05\n"
                + "gdp.grdp_growth, 79 ,2021-H1, 4.10 ,percent,,\n"
                + "gdp.grdp_growth,\(nfd),2021-Q1,3.0,percent,final,\n"
                + "gdp.grdp_growth,THAI NGUYEN,2021-Q2,3.0,percent,final,\n"
                + "gdp.grdp_growth,Thai Ngyen,2021-Q3,3.0,percent,final,\n"
                + "gdp.grdp_growth,Th\u{0430}i Nguyen,2021-Q4,3.0,percent,final,\n"
                + "gdp.grdp_growth,19,2021-01..2021-03,3.0,percent,final,\n"
                + "gdp.grdp_growth,19,2021-Q1,3.00,percent,final,\n"
                + "gdp.grdp_growth,19,2021-Q1,3.1,percent,final,\n"
                + "gdp.grdp_growth,19N,2021,1,percent,final,\n"
                + "gdp.grdp_growth,19,2025-Q3,1,percent,final,\n"
                + "gdp.grdp_growth,06,2025-Q3,1,percent,final,\n"
                + ",,,,,,\n"
                + "gdp.grdp_growth,19,2021-13,1,percent,final,\n"
                + "gdp.grdp_growth,19,2022,1e5,percent,final,\n"
                + "gdp.grdp_growth,19,2023,1\u{00A0},percent,final,\n"
                + "gdp.grdp_growth,19,2024,\u{00A0}2.5,percent,final,\n"
                + "gdp.grdp_growth,19,2020,-0.0,percent,final,\n"
                + "gdp.grdp_growth,19,2019,900,percent,final,\n"
                + "gdp.grdp_growth,19,2018,0001.50,percent,estimated,2019-02-30\n"
                + "gdp.grdp_growth,19,2017,.5,percent,x,01/02/2016\n"
                + "gdp.grdp,19,2017,5,bn_vnd,final,\n"
                + "budget.revenue,19,2017,5,Bill. Dongs,final,\n"
                + "budget.revenue,19,2016,5,USD,final,\n"
                + "budget.revenue,19,2015,-5,bn_vnd,final,\n"
                + "budget.revenu,19,2015,5,bn_vnd,final,\n"
                + "BUDGET.REVENUE,19,2014,5,bn_vnd,final,\n"
                + "\"budget.revenue\",\"Hà Nội\",\"2013\",\"12345678901234567890\",bn_vnd,final,\n"
                + "budget.revenue,Hà Nội,2012,123456789012345678901,bn_vnd,final,\n",
            "indicator,region,period,value,group,base,measure,item,unit,status,action\n"
                + "cpi.index,01,2021-07,101.2,general,base_2019,,,index,final,\n"
                + "cpi.index,01,2021-08,101.3,General,base_2019,,,index,final,report\n"
                + "cpi.index,01,2021-09,101.4,generl,base_2019,,,index,final,\n"
                + "cpi.index,01,2021-10,101.5,,,,,index,final,\n"
                + "cpi.index,01,2021-10,,,,,,index,final,retract\n"
                + "cpi.index,01,2021-11,,general,base_2019,,,index,final,retract\n"
                + "cpi.index,01,2021-12,101.5,general,base_2019,,,index,final,delete\n"
                + "budget.revenue,01,2021,5,,,plan,land_houses,bn_vnd,final,\n"
                + "budget.revenue,01,2021,5,,,Plan,land_houses,bn_vnd,final,\n"
                + "budget.revenue,01,2021,6,,,plan,land_houses,bn_vnd,final,\n"
                + "budget.revenue,01,2020,5,general,,plan,land_houses,bn_vnd,final,\n"
                + "budget.revenue,WHOLE COUNTRY,2020,5,,,plan,land_houses,bn_vnd,final,\n"
                + "budget.revenue,VN,2020,5,,,actual,,bn_vnd,final,\n"
                + "budget.revenue,NMM,2020,5,,,,total,bn_vnd,revised,\n",
        ]
        let scoped = try Agency(id: "tn", name: "Cục Thống kê Thái Nguyên", families: ["gdp", "cpi"], regions: ["19", "19N"])
        for file in files {
            try compare(file)
            try compare(file, agency: scoped)
            try compare(file, options: ValidationOptions(acceptValidRows: true))
            try compare(file, agency: scoped, options: ValidationOptions(acceptValidRows: true))
            try compare(file, options: ValidationOptions(maxIssues: 3, maxRows: 5))
            try compare(Array(file.replacingOccurrences(of: "\n", with: "\r\n").utf8))
            try compare(Array(file.replacingOccurrences(of: ",", with: ";").utf8))
        }
    }

    @Test func readerErrorsMidFile() throws {
        let head = "indicator,region,period,value\nbudget.revenue,19,2021,1\n"
        try compare(head + "budget.revenue,19,2022,1,extra\nbudget.revenue,19,2023,1\n")
        try compare(head + "budget.revenue,19,\"2022,1\n")
        try compare(head + "budget.revenue,19,20\"22,1\n")
        try compare(Array(head.utf8) + Array("budget.revenue,Th".utf8) + [0xE1] + Array("i,2021,1\n".utf8))
        try compare(Array(head.utf8) + Array("budget.revenue,Th".utf8) + [0xC3] + Array(",".utf8) + [0xA1] + Array("2021,1\n".utf8))
        try compare(Array(head.utf8) + [0x00] + Array("\n".utf8))
        try compare("indicator,region,period,value\n\n\n")
        try compare("indicator,region,period\nbudget.revenue,19,2021\n")
        try compare(Array(head.utf8), limits: .init(recordBytesMax: 20))
        try compare(Array((head + String(repeating: "budget.revenue,19,2021,1\n", count: 3)).utf8), limits: .init(chunkBytes: 16))
    }

    /// Many rows: valid ones (values near the plausible bounds included), and ones with one
    /// cell replaced by a value from a pool of good and bad spellings.
    @Test func randomFiles() throws {
        var rng = SplitMix(seed: 0xA1_4A_4A_C0)
        let pools: [[String]] = [
            ["cpi.index", "budget.revenue", "budget.expenditure", "gdp.grdp_growth", "cpi.indx", " cpi.index", "CPI.INDEX", ""],
            ["01", "19", "79", "19N", "1", "Hà Nội", "Thái Nguyên", "thai nguyen", "Tp. Hồ Chí Minh", "XX", "", "06",
             "Hà Nội".decomposedStringWithCanonicalMapping, "WHOLE COUNTRY", "VN", "NMM"],
            ["2021", "2021-Q1", "2021-H2", "2021-07", "2021-01..2021-03", "2025-Q3", "2021-13", "Q1/2021", "2020", "2021-M07", "2021-S1"],
            ["1", "1.5", "0", "0.99", "1000", "1000.01", "-3", "-0.0", "00.10", "1e3", "1,5", "..", "", " 7 ", "99999999", "2.50",
             "150.0", "12345678901234567890", "0.000000000000000000001", "+5", "5.", ".5"],
            ["", "general", "food_catering", "General", "nope"],
            ["", "base_2019", "previous_period", "base_2014"],
            ["", "actual", "plan", "Plan", "estimate"],
            ["", "total", "land_houses", "recurrent", "bogus"],
            ["", "index", "bn_vnd", "percent", "mn_usd", "Bill. Dongs", "VND", "kg", "INDEX"],
            ["", "final", "p", "Prel", "estimated", "r", "bogus", "sơ bộ"],
            ["", "2021-07-05", "2021-02-30", "5/7/2021"],
            ["", "report", "Report", "retract", "delete"],
        ]
        for round in 0..<6 {
            var text = "indicator,region,period,value,group,base,measure,item,unit,status,release_date,action\n"
            for _ in 0..<600 {
                // A valid row of a random series and period (most are new keys; some repeat).
                let kind = Int(rng.next() % 3)
                var row: [String]
                let region = ["01", "19", "79", "Hà Nội", "48"][Int(rng.next() % 5)]
                let period = ["2021", "2021-Q1", "2021-07", "2020-H1", "2019", "2021-01..2021-03", "2018-12"][Int(rng.next() % 7)]
                let boundary = rng.next() % 10 == 0
                switch kind {
                case 0:
                    let value = boundary ? rng.pick(["1", "0.999", "1000", "1000.001", "0", "-1"]) : "\(1 + rng.next() % 900).\(rng.next() % 100)"
                    row = ["cpi.index", region, period, value, rng.pick(["general", "food_catering", ""]),
                           rng.pick(["base_2019", "previous_period", ""]), "", "", rng.pick(["index", ""]), rng.pick(["final", "p", ""]), "", ""]
                case 1:
                    let value = boundary ? rng.pick(["30000000", "30000000.1", "-30000000", "-30000001"]) : "\(rng.next() % 100000)"
                    row = ["budget.revenue", region, period, value, "", "", rng.pick(["plan", "actual", ""]),
                           rng.pick(["total", "land_houses", ""]), rng.pick(["bn_vnd", "", "Bill. Dongs"]), "final", rng.pick(["", "2021-07-05"]), ""]
                default:
                    let value = boundary ? rng.pick(["-0.5", "0", "100"]) : "\(rng.next() % 20).\(rng.next() % 10)"
                    row = ["budget.expenditure", region, period, value, "", "", "", rng.pick(["total", "recurrent"]), "", "", "", "report"]
                }
                if rng.next() % 4 == 0 {
                    let column = Int(rng.next() % UInt64(pools.count))
                    row[column] = rng.pick(pools[column])
                }
                text += row.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\n"
            }
            let agency: Agency? = round % 2 == 0 ? nil : try Agency(id: "tn", name: "TN", families: ["cpi", "budget"], regions: ["19", "01", "48"])
            try compare(text, agency: agency)
            try compare(text, agency: agency, options: ValidationOptions(acceptValidRows: true))
        }
    }

    /// More distinct periods than the seen-bits hold (the exact index takes over), then
    /// repeats of early keys: a duplicate and a conflict.
    @Test func manyPeriodsThenRepeats() throws {
        var text = "indicator,region,period,value\n"
        for year in 1990...2021 {
            for m in 1...12 { text += "budget.revenue,19,\(year)-\(m < 10 ? "0" : "")\(m),\(year - 1900).\(m)\n" }
        }
        text += "budget.revenue,19,1990-01,90.1\nbudget.revenue,19,1990-02,1\nbudget.revenue,01,1990-02,1\n"
        try compare(text)
        try compare(text, options: ValidationOptions(acceptValidRows: true))
        let result = try validateFile(text, options: ValidationOptions(acceptValidRows: true))
        #expect(result.identicalDuplicates == 1 && result.issues.map(\.code) == ["duplicate_conflict"])
    }

    /// A file of valid rows gives the same result either way, with its series.
    @Test func validFilesGiveTheirSeries() throws {
        var text = "indicator,region,period,value,group,base,unit,status\n"
        for r in ["01", "19", "79"] {
            for m in 1...12 { text += "cpi.index,\(r),2021-\(m < 10 ? "0" : "")\(m),\(100 + m).5,general,base_2019,index,final\n" }
        }
        try compare(text)
        let result = try validateFile(text)
        #expect(result.isAccepted && result.observations.count == 36 && result.series.count == 3)
    }
}
