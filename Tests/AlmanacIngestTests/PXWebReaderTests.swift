@testable import AlmanacIngest
import Testing

/// The GSO exports are GPL-3 and not copied here: these files are written in the same
/// layout (BOM, CRLF, title line, blank line, `;`, quoted cells, measure+year headers,
/// subtotal rows, `(*)` markers, `..`, `2613.0`-style values) with invented numbers.
@Suite struct PXWebReaderTests {
    static let fdi: [UInt8] = [0xEF, 0xBB, 0xBF] + Array([
        "\"Foreign direct investment projects licensed in 2016 by province chia theo Cities, provincies và Iterms\"",
        "",
        "\"Cities, provincies\";\"Number of projects\";\"Total registered capital (Mill. USD)(*)\"",
        "\"WHOLE COUNTRY\";1000.0;20000.5",
        "\"Red River Delta\";300.0;8000.0",
        "\"Ha Noi\";200.0;3000.0",
        "\"Bac Ninh\";100.0;5000.0",
        "\"Northern midlands and mountain areas\";50.0;900.0",
        "\"Ha Giang\";..;12.3",
        "\"Thai Nguyen\";50.0;887.7",
        "\"Oil and gas\";2.0;30.0",
        "",
    ].joined(separator: "\r\n").utf8)

    static let budget: [UInt8] = [0xEF, 0xBB, 0xBF] + Array([
        "\"State budget revenue final accounts by State budget revenue, Items and Year\"",
        "",
        "\"State budget revenue\";\"Total (Bill. Dongs) 2014\";\"Total (Bill. Dongs) Pre. 2015\";\"Total (Bill. Dongs) Est. 2016\";\"Structure (%) 2014\";\"Structure (%) Pre. 2015\";\"Structure (%) Est. 2016\"",
        "\"TOTAL\";1000.00;1100.00;1200.00;100.00;100.00;100.00",
        "\"Fees\";10.00;..;12.50;1.00;..;1.04",
        "\"Gasoline fee\";..;..;..;..;..;..",
        "",
    ].joined(separator: "\r\n").utf8)

    func mapping(_ file: String) throws -> PXWebMapping {
        guard case let .pxWeb(m) = try loadMapping(file) else { throw IngestError(.invalidMapping, file: file, reason: "not px-web") }
        return m
    }

    @Test func fdiLayoutThroughTheShippedMapping() throws {
        let reader = try PXWebReader(csv: CSVReader(source: ByteSource(bytes: Self.fdi, displayName: "fdi.csv")),
                                     mapping: mapping("gso-fdi-projects-licensed-by-province.json"))
        let obs = try drain(reader)
        #expect(reader.title == ["Foreign direct investment projects licensed in 2016 by province chia theo Cities, provincies và Iterms"])
        #expect(reader.detailRowCount == 4)
        #expect(reader.subtotalRowCount == 3)
        #expect(reader.skippedRecordCount == 1)
        #expect(reader.missingCellCount == 1)
        #expect(obs.count == 13)
        #expect(obs[0] == SourceObservation(
            indicator: "investment.fdi_projects", region: "VN", period: "2016", value: "1000.0", unit: "count",
            location: SourceLocation(file: "fdi.csv", record: 3, line: 4, fields: [
                .value: FieldLocation(header: "Number of projects", columnNumber: 2, position: TextPosition(line: 4, column: 17)),
                .region: FieldLocation(header: "Cities, provincies", columnNumber: 1, position: TextPosition(line: 4, column: 1)),
            ])))
        #expect(obs[1].indicator == "investment.fdi_registered" && obs[1].unit == "mn_usd" && obs[1].value == "20000.5")
        #expect(obs[1].location.fields[.value]?.header == "Total registered capital (Mill. USD)(*)")
        #expect(obs.filter { $0.region == "Ha Giang" }.map(\.value) == ["12.3"])
        #expect(obs.map(\.region).contains("NMM") && obs.map(\.region).contains("Thai Nguyen"))
    }

    @Test func budgetLayoutCapturesPeriodAndStatusFromHeaders() throws {
        let reader = try PXWebReader(csv: CSVReader(source: ByteSource(bytes: Self.budget, displayName: "budget.csv")),
                                     mapping: mapping("gso-state-budget-revenue-final-accounts.json"))
        let obs = try drain(reader)
        #expect(obs.count == 5)
        #expect(obs.map(\.period) == ["2014", "2015", "2016", "2014", "2016"])
        #expect(obs.map(\.status) == ["final", "preliminary", "estimated", "final", "estimated"])
        #expect(obs.map { $0.dimensions["item"] } == ["total", "total", "total", "fees", "fees"])
        #expect(obs.allSatisfy { $0.region == "VN" && $0.indicator == "budget.revenue" && $0.unit == "bn_vnd" && $0.dimensions["measure"] == "actual" })
        #expect(obs[4].value == "12.50")
        #expect(reader.subtotalRowCount == 1 && reader.detailRowCount == 2 && reader.missingCellCount == 4)
    }

    @Test func unmappedHeaderColumnIsAnError() throws {
        var m = try mapping("gso-state-budget-revenue-final-accounts.json")
        m.ignoreColumns = []
        #expect(throws: IngestError(.invalidMapping, file: "budget.csv", line: 3, column: 115,
                                    reason: "header column 5 \"Structure (%) 2014\" is not in the mapping",
                                    hint: "add a column rule or an ignoreColumns pattern for it")) {
            try PXWebReader(csv: CSVReader(source: ByteSource(bytes: Self.budget, displayName: "budget.csv")), mapping: m)
        }
    }

    @Test func raggedDataRowAndHeaderOnly() throws {
        let m = try mapping("gso-fdi-projects-licensed-by-province.json")
        let ragged = Array("\"T\"\r\n\"a\";\"Number of projects\"\r\n\"x\";1;2\r\n".utf8)
        #expect(throws: IngestError(.raggedRow, file: "r.csv", line: 3, column: 1, reason: "record has 3 fields, header (line 2) has 2",
                                    hint: "check for a missing or extra delimiter, or a quote that is not closed")) {
            _ = try drain(PXWebReader(csv: CSVReader(source: ByteSource(bytes: ragged, displayName: "r.csv")), mapping: m))
        }
        let headerOnly = Array("\"T\"\r\n\r\n\"a\";\"Number of projects\"\r\n".utf8)
        #expect(throws: IngestError(.headerOnly, file: "h.csv", line: 3, reason: "file has a header row but no data rows", hint: "was the export cut short?")) {
            _ = try drain(PXWebReader(csv: CSVReader(source: ByteSource(bytes: headerOnly, displayName: "h.csv")), mapping: m))
        }
    }

    @Test func mappingErrorsAreReported() {
        #expect(throws: IngestError(.invalidMapping, file: "m.json", line: 1, column: 20, reason: "expected a string key, found '}'")) {
            try SourceMapping.parse(Array(#"{"format":"px-web",}"#.utf8), name: "m.json")
        }
        #expect(throws: IngestError(.invalidMapping, file: "m.json", reason: "$.columns[0]: a column needs \"period\" or a headerPattern with a group named period")) {
            try SourceMapping.parse(Array(#"{"format":"px-web","version":1,"columns":[{"header":"X","indicator":"i"}]}"#.utf8), name: "m.json")
        }
        #expect(throws: IngestError(.invalidMapping, file: "m.json", reason: "$: unknown mapping format \"xml\" (expected \"sdmx\" or \"px-web\")")) {
            try SourceMapping.parse(Array(#"{"format":"xml"}"#.utf8), name: "m.json")
        }
    }

    @Test func footnoteMarkersAreStripped() {
        #expect(PXWebMapping.stripFootnotes(" Total registered capital (Mill. USD)(*) ") == "Total registered capital (Mill. USD)")
        #expect(PXWebMapping.stripFootnotes("Ha Noi (**)") == "Ha Noi")
        #expect(PXWebMapping.stripFootnotes("Total (Bill. Dongs) 2000") == "Total (Bill. Dongs) 2000")
    }
}
