@testable import AlmanacIngest
import Testing

@Suite struct SDMXCSVReaderTests {
    let oecd = fixtures.appendingPathComponent("oecd_sdmx_csv_v1_DF_GOV_CORE_RESULTS.csv").path

    @Test func oecdFileWithoutMappingHas902Observations() throws {
        let reader = try SDMXCSVReader(path: oecd)
        #expect(reader.format == .sdmxCSV1)
        let obs = try drain(reader)
        #expect(obs.count == 902)
        #expect(reader.dataflows == ["OECD:DF_GOV_CORE_RESULTS(2.0)"])
        // Source line 2: OECD:DF_GOV_CORE_RESULTS(2.0),A,CONFNG,AT,Y15T29,_T,_T,TG,PCT_POP,2018,51,0,
        let first = obs[0]
        #expect(first.indicator == "DF_GOV_CORE_RESULTS.CONFNG")
        #expect(first.region == "AT" && first.period == "2018" && first.value == "51")
        #expect(first.unit == "PCT_POP" && first.unitMultiplier == "0" && first.status == nil)
        // MEASURE named the indicator, so it is not also a breakdown.
        #expect(first.dimensions == ["FREQ": "A", "AGE": "Y15T29", "SEX": "_T", "EDUCATION_LEV": "_T", "CATEGORY": "TG"])
        #expect(first.dataflow == "OECD:DF_GOV_CORE_RESULTS(2.0)")
        #expect(first.location.fields[.value] == FieldLocation(header: "OBS_VALUE", columnNumber: 11, position: TextPosition(line: 2, column: 72)))
        // The last line: ...,A,PBE,OECDAVG,_T,M,ISCED11_5T8,CEP,USD,2016,206300,0,
        let last = obs[901]
        #expect(last.indicator == "DF_GOV_CORE_RESULTS.PBE" && last.region == "OECDAVG" && last.value == "206300" && last.location.line == 903)
    }

    /// Almanac's own SDMX-CSV: `almanac generate --format sdmx-csv` writes the code after
    /// the family (`grdp`), `almanac export --format sdmx-csv` the whole code
    /// (`gdp.grdp`); both read back without a mapping, and INDICATOR is no breakdown.
    @Test(arguments: ["grdp", "gdp.grdp"])
    func almanacDataflowsReadWithoutAMapping(code: String) throws {
        let text = "DATAFLOW,REF_AREA,INDICATOR,SECTOR,PRICE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"
            + "ALMANAC:gdp(1.0),19,\(code),total,current,2021-S1,64603.6,bn_vnd,P\n"
        let file = try temporaryFile(Array(text.utf8), name: "almanac-sdmx.csv")
        let obs = try drain(try SDMXCSVReader(path: file))
        #expect(obs.count == 1)
        #expect(obs.first?.indicator == "gdp.grdp")
        #expect(obs.first?.dimensions == ["SECTOR": "total", "PRICE": "current"])
        #expect(obs.first?.period == "2021-S1" && obs.first?.value == "64603.6")
    }

    @Test func oecdFileThroughTheShippedMapping() throws {
        guard case let .sdmx(mapping) = try loadMapping("oecd-gov-core-results.json") else {
            Issue.record("not an SDMX mapping")
            return
        }
        let reader = try SDMXCSVReader(path: oecd, mapping: mapping)
        let obs = try drain(reader)
        #expect(obs.count == 134)
        #expect(reader.skippedRecordCount == 902 - 134)
        let counts = Dictionary(grouping: obs, by: \.indicator).mapValues(\.count)
        #expect(counts == ["oecd.tax_admin_corporate_tax": 30, "oecd.tax_admin_personal_income_tax": 30,
                           "oecd.gini_before_taxes_transfers": 37, "oecd.gini_after_taxes_transfers": 37])
        // Source: OECD:DF_GOV_CORE_RESULTS(2.0),A,FR_PIT,AU,_T,_T,_T,PSE,PCT_POP,2017,82.9,0,
        let au = try #require(obs.first { $0.indicator == "oecd.tax_admin_personal_income_tax" && $0.region == "AUS" })
        #expect(au.value == "82.9" && au.period == "2017" && au.unit == "percent" && au.unitMultiplier == "0")
        #expect(au.dimensions.isEmpty)
        #expect(obs.contains { $0.region == "OECD" })
    }

    @Test func sdmxCSV2WithActionsAndSemicolons() throws {
        let text = """
        STRUCTURE;STRUCTURE_ID;ACTION;FREQ;REF_AREA;INDICATOR;TIME_PERIOD;OBS_VALUE;OBS_STATUS
        dataflow;GSO:DF_BUDGET(1.0);I;A;VN;REV;2021;1500000.5;P
        dataflow;GSO:DF_BUDGET(1.0);D;A;VN;EXP;2020;;
        """
        let reader = try SDMXCSVReader(csv: CSVReader(source: ByteSource(bytes: Array(text.utf8), displayName: "v2.csv")))
        #expect(reader.format == .sdmxCSV2)
        let obs = try drain(reader)
        #expect(obs.map(\.indicator) == ["DF_BUDGET.REV", "DF_BUDGET.EXP"])
        #expect(obs.map(\.action) == ["report", "retract"])
        #expect(obs[0].status == "P" && obs[0].value == "1500000.5" && obs[1].value == "")
        #expect(obs[0].dataflow == "GSO:DF_BUDGET(1.0)")
    }

    @Test func labelledHeadersAreReducedToCodes() throws {
        let text = "DATAFLOW,REF_AREA: Reference area,TIME_PERIOD: Time,OBS_VALUE\nX:F(1.0),VN: Viet Nam,2021: 2021,3\n"
        let obs = try drain(SDMXCSVReader(csv: CSVReader(source: ByteSource(bytes: Array(text.utf8), displayName: "l.csv"))))
        #expect(obs.first?.region == "VN" && obs.first?.period == "2021" && obs.first?.indicator == "F")
    }

    @Test func missingTimePeriodIsAnError() {
        let text = "DATAFLOW,REF_AREA,OBS_VALUE\nX:F(1.0),VN,3\n"
        #expect(throws: IngestError(.missingColumn, file: "m.csv", line: 1, column: 1, reason: "missing required column \"TIME_PERIOD\"",
                                    hint: "the header has: DATAFLOW, REF_AREA, OBS_VALUE")) {
            try SDMXCSVReader(csv: CSVReader(source: ByteSource(bytes: Array(text.utf8), displayName: "m.csv")))
        }
    }

    @Test func dataflowReferencesParse() {
        #expect(SDMXDataflowRef("OECD:DF_GOV_CORE_RESULTS(2.0)") == SDMXDataflowRef(agency: "OECD", id: "DF_GOV_CORE_RESULTS", version: "2.0"))
        #expect(SDMXDataflowRef("EXR").id == "EXR")
    }
}

extension SDMXDataflowRef {
    init(agency: String?, id: String, version: String?) {
        self.init(id)
        self.agency = agency
        self.id = id
        self.version = version
    }
}
