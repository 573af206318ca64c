@testable import AlmanacIngest
import Foundation
import Testing

@Suite struct FormatDetectorTests {
    @Test func detectsEachFormat() throws {
        #expect(FormatDetector.detect(headBytes: Array("indicator,region,period,value\n".utf8)) == .nativeCSV)
        #expect(FormatDetector.detect(headBytes: Array("\u{FEFF}STRUCTURE,STRUCTURE_ID,ACTION\n".utf8)) == .sdmxCSV2)
        #expect(FormatDetector.detect(headBytes: PXWebReaderTests.fdi) == .pxWeb)
        #expect(FormatDetector.detect(headBytes: PXWebReaderTests.budget) == .pxWeb)
        let oecd = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("oecd_sdmx_csv_v1_DF_GOV_CORE_RESULTS.csv")))
        #expect(FormatDetector.detect(headBytes: Array(oecd.prefix(600))) == .sdmxCSV1)
        let json = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("sdmx_json_v2_ecb_exr_time_series.json")))
        #expect(FormatDetector.detect(headBytes: Array(json.prefix(4096))) == .sdmxJSON)
    }

    @Test func openPicksTheReaderFromContent() throws {
        let oecd = try ObservationReaders.open(path: fixtures.appendingPathComponent("oecd_sdmx_csv_v1_DF_GOV_CORE_RESULTS.csv").path)
        #expect(oecd.format == .sdmxCSV1)
        #expect(try drain(oecd).count == 902)
        let path = try temporaryFile(PXWebReaderTests.fdi, name: "fdi.csv")
        #expect(throws: IngestError.self) { try ObservationReaders.open(path: path) }
        let px = try ObservationReaders.open(path: path, mapping: loadMapping("gso-fdi-projects-licensed-by-province.json"))
        #expect(px.format == .pxWeb)
        #expect(try drain(px).count == 13)
        #expect(throws: IngestError.self) { try drain(ObservationReaders.open(path: path, format: .nativeCSV)) }
    }
}
