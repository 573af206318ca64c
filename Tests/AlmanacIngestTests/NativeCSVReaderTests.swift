@testable import AlmanacIngest
import Testing

@Suite struct NativeCSVReaderTests {
    func reader(_ text: String) throws(IngestError) -> NativeCSVReader {
        try NativeCSVReader(csv: CSVReader(source: ByteSource(bytes: Array(text.utf8), displayName: "agency.csv")))
    }

    func error(_ text: String) -> IngestError? {
        do { _ = try drain(try reader(text)); return nil } catch { return error }
    }

    @Test func designExampleWithColumnsInAnyOrderAndDimensions() throws {
        let r = try reader("""
        Value , REGION,indicator,period,unit,status,group,release_date,action
        6.5,19,gdp.grdp_growth,2021-H1,percent,preliminary,,2021-07-12,
        1234.5,Thái Nguyên,budget.revenue,2021-06,bn_vnd,final,food,,retract
        """)
        #expect(r.dimensionNames == ["group"])
        let obs = try drain(r)
        #expect(obs.count == 2)
        #expect(obs[0].indicator == "gdp.grdp_growth" && obs[0].region == "19" && obs[0].period == "2021-H1" && obs[0].value == "6.5")
        #expect(obs[0].unit == "percent" && obs[0].status == "preliminary" && obs[0].releaseDate == "2021-07-12" && obs[0].action == nil)
        #expect(obs[0].dimensions.isEmpty)
        #expect(obs[1].region == "Thái Nguyên" && obs[1].dimensions == ["group": "food"] && obs[1].action == "retract")
        let value = try #require(obs[1].location.fields[.value])
        #expect(value.header == "Value" && value.columnNumber == 1 && value.position == TextPosition(line: 3, column: 1))
        #expect(obs[1].location.fields[.region]?.position == TextPosition(line: 3, column: 8))
        #expect(obs[1].location.describe(.region) == "agency.csv:3:8")
        #expect(obs[1].location.line == 3 && obs[1].location.record == 3)
    }

    @Test func emptyRowsAreSkippedAndCounted() throws {
        let r = try reader("indicator,region,period,value\n,,,\ncpi.index,01,2021-07,101.2\n")
        #expect(try drain(r).count == 1)
        #expect(r.skippedRecordCount == 1)
    }

    @Test func missingRequiredColumn() {
        #expect(error("indicator,region,period,unit\nx,y,z,u\n")?.description ==
            "agency.csv:1:1: missing required column \"value\"; the header has: indicator, region, period, unit")
    }

    @Test func duplicateColumn() {
        #expect(error("indicator,region,period,value, VALUE\nx,y,z,1,2\n")?.description ==
            "agency.csv:1:31: duplicate column \"VALUE\" (columns 4 and 5)")
    }

    @Test func unnamedColumn() {
        #expect(error("indicator,region,,period,value\n")?.description == "agency.csv:1:18: column 3 of the header has no name")
    }

    @Test func headerOnlyFile() {
        #expect(error("indicator,region,period,value\r\n")?.description ==
            "agency.csv:1: file has a header row but no data rows; was the export cut short?")
    }

    @Test func raggedRowNamesTheHeaderLine() {
        #expect(error("indicator,region,period,value\nx,y,z\n")?.description ==
            "agency.csv:2:1: record has 3 fields, header (line 1) has 4; check for a missing or extra delimiter, or a quote that is not closed")
    }

    @Test func theThirtyFourUnitsFileIsReadAsRawCSV() throws {
        let reader = try CSVReader(path: fixtures.appendingPathComponent("vn_provinces_2025_34_units.csv").path)
        var rows: [CSVRecord] = []
        while let r = try reader.next() { rows.append(r) }
        #expect(rows.count == 35)
        #expect(rows[0].fields == ["stt", "ten", "loai", "mien", "sap_nhap_tu", "dien_tich_km2", "dan_so", "nguon_dan_so"])
        #expect(rows[1].fields[1] == "Hà Nội")
        #expect(rows[2].fields[4] == "Hải Phòng + Hải Dương")
        #expect(Set(rows.dropFirst().map(\.fields.count)) == [8])
    }
}
