@testable import AlmanacIngest
import Foundation
import Testing

@Suite struct SDMXJSONReaderTests {
    let sample = fixtures.appendingPathComponent("sdmx_json_v2_ecb_exr_time_series.json").path

    @Test func ecbSampleDecodesSeriesAndObservations() throws {
        let reader = try SDMXJSONReader(path: sample)
        // The sample's quirk: the sender id and name disagree; both are reported.
        #expect(reader.sender == SDMXParty(id: "IMF", name: "European Central Bank"))
        #expect(reader.isTest)
        #expect(reader.dataflows == ["ECB:EXR(1.0)"])
        let obs = try drain(reader)
        #expect(obs.count == 4)
        #expect(obs.map(\.value) == ["1.5931", "1.5925", "40.3426", "40.3"])
        #expect(obs.map(\.period) == ["2013-01-18", "2013-01-21", "2013-01-18", "2013-01-21"])
        #expect(obs[0].dimensions == ["FREQ": "D", "CURRENCY": "NZD", "CURRENCY_DENOM": "EUR", "EXR_TYPE": "SP00", "EXR_SUFFIX": "A"])
        #expect(obs[2].dimensions["CURRENCY"] == "RUB")
        #expect(obs.allSatisfy { $0.status == "A" && $0.indicator == "EXR" && $0.action == "report" && $0.region == "" })
        #expect(obs[3].location.path == "dataSets[0].series[\"1\"].observations[\"1\"]")
        #expect(obs[3].location.description == "sdmx_json_v2_ecb_exr_time_series.json: dataSets[0].series[\"1\"].observations[\"1\"]")
    }

    @Test func mappingChoosesIndicatorAndDefaultRegion() throws {
        let mapping = SDMXMapping(rules: [.init(match: ["CURRENCY": "RUB"], indicator: "fx.rub_eur", unit: "rub")],
                                  unmatched: .skip, defaultRegion: "EA", dropDimensions: ["FREQ"])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: sample)))
        let reader = try SDMXJSONReader(bytes: bytes, fileName: "exr.json", mapping: mapping)
        let obs = try drain(reader)
        #expect(obs.map(\.indicator) == ["fx.rub_eur", "fx.rub_eur"])
        #expect(obs[0].region == "EA" && obs[0].unit == "rub")
        #expect(obs[0].dimensions == ["CURRENCY_DENOM": "EUR", "EXR_TYPE": "SP00", "EXR_SUFFIX": "A"])
        #expect(reader.skippedRecordCount == 2)
    }

    @Test func flatObservationsAndNullValues() throws {
        let text = """
        {"meta":{"sender":{"id":"GSO"}},"data":{"structures":[{"dimensions":{
          "observation":[{"id":"REF_AREA","values":[{"id":"VN"},{"id":"19"}]},{"id":"TIME_PERIOD","values":[{"id":"2021-H1"}]}]},
          "attributes":{"observation":[{"id":"UNIT_MULT","values":[{"id":"6"}]}]}}],
          "dataSets":[{"action":"Delete","observations":{"0:0":[1.5,0],"1:0":[null]}}]}}
        """
        let reader = try SDMXJSONReader(bytes: Array(text.utf8), fileName: "flat.json")
        let obs = try drain(reader)
        #expect(obs.count == 1 && reader.skippedRecordCount == 1)
        #expect(obs[0].region == "VN" && obs[0].period == "2021-H1" && obs[0].value == "1.5" && obs[0].unitMultiplier == "6")
        #expect(obs[0].action == "retract")
        #expect(reader.sender == SDMXParty(id: "GSO", name: nil))
    }

    @Test func structuralErrorsNameThePath() {
        let badKey = """
        {"data":{"structures":[{"dimensions":{"series":[{"id":"A","values":[{"id":"x"}]}],"observation":[{"id":"TIME_PERIOD","values":[{"id":"2020"}]}]}}],
        "dataSets":[{"series":{"0:0":{"observations":{"0":[1]}}}}]}}
        """
        #expect(throws: IngestError(.invalidStructure, file: "b.json",
                                    reason: "dataSets[0].series[\"0:0\"].observations[\"0\"]: key \"0:0\" has 2 positions, the structure has 1 dimensions")) {
            _ = try drain(SDMXJSONReader(bytes: Array(badKey.utf8), fileName: "b.json"))
        }
        #expect(throws: IngestError(.invalidJSON, file: "d.json", line: 1, column: 11, reason: "duplicate key \"data\" in object")) {
            try SDMXJSONReader(bytes: Array(#"{"data":1,"data":2}"#.utf8), fileName: "d.json")
        }
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: IngestError(.invalidJSON, file: "n.json", line: 1, column: 65, reason: "nesting deeper than 64 levels")) {
            try SDMXJSONReader(bytes: Array(deep.utf8), fileName: "n.json")
        }
    }
}
