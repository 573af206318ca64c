import AlmanacDomain
import AlmanacLog
import AlmanacSQLite
import AlmanacStore
import AlmanacTesting
import Crypto
import Foundation
import Testing

@Suite struct IngestTests {
    @Test func acceptedThenDuplicateThenOnlyWhatChanged() throws {
        let t = try TestStore()
        let first = try t.ingest("h1.csv", nativeHeader + """
            gdp.grdp_growth,19,2021-H1,6.5,percent,preliminary,2021-07-05
            gdp.grdp_growth,01,2021-H1,5.9,percent,preliminary,2021-07-05
            gdp.grdp_growth,79,2021-H1,4.1,percent,preliminary,2021-07-05

            """)
        #expect(first.counts == IngestOutcome.Counts(rows: 3, reported: 3))
        // The same bytes again: a duplicate, and nothing is written.
        let head = try LogReader(path: t.store.layout.log).headSequence()
        #expect(try t.ingest("h1-again.csv", String(decoding: FileManager.default.contents(atPath: t.dir.file("h1.csv"))!, as: UTF8.self)).isDuplicate)
        #expect(try LogReader(path: t.store.layout.log).headSequence() == head)
        // A corrected file: one value changed, one equal (1.50 vs 1.5 counts as equal), one retracted.
        let second = try t.ingest("h1-rev.csv", nativeHeader.dropLast() + ",action\n" + """
            gdp.grdp_growth,19,2021-H1,6.52,percent,revised,2021-10-05,report
            gdp.grdp_growth,01,2021-H1,5.90,percent,preliminary,2021-07-05,report
            gdp.grdp_growth,79,2021-H1,,percent,preliminary,,retract

            """)
        #expect(second.counts == IngestOutcome.Counts(rows: 3, reported: 0, revised: 1, unchanged: 1, retracted: 1))
        var types: [String] = []
        try LogReader(path: t.store.layout.log).forEachEvent(from: head) { e, _ in types.append(e.type) }
        #expect(types == ["SubmissionAccepted", "ObservationRevised", "ObservationRetracted"])
        // The revision carries the previous value; values are kept exactly as written.
        var revised: EventEnvelope?
        try LogReader(path: t.store.layout.log).forEachEvent(from: head) { e, _ in if e.type == "ObservationRevised" { revised = e } }
        #expect(revised?.dataText.contains(#""value":"6.52""#) == true)
        #expect(revised?.dataText.contains(#""previous":{"value":"6.5","status":"preliminary""#) == true)
    }

    @Test func rejectedFilesAreQuarantinedByteForByteWithReports() throws {
        let t = try TestStore()
        let bytes = Data([0xEF, 0xBB, 0xBF]) + Data((nativeHeader + "gdp.grdp_growth,Thai Ngyen,2021-H1,6.5,percent,final,\n").utf8)
        let path = t.dir.file("bad.csv")
        FileManager.default.createFile(atPath: path, contents: bytes)
        let outcome = try t.store.ingest(IngestRequest(path: path, agency: "gso"))
        let issues = try #require(outcome.rejectedIssues)
        #expect(issues.first?.code == "unknown_region")
        #expect(issues.first?.text.contains("bad.csv:2") == true)
        #expect(issues.first?.text.contains("Thái Nguyên") == true)
        let q = try #require(outcome.quarantine)
        #expect(FileManager.default.contents(atPath: q + "/original") == bytes)
        let json = try JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: q + "/errors.json")!) as? [String: Any]
        #expect(json?["issue_count"] as? Int == 1)
        let text = try String(contentsOfFile: q + "/errors.txt", encoding: .utf8)
        #expect(text.hasPrefix("bad.csv: rejected with 1 problem"))
        // The rejection is part of the audit trail.
        #expect(try t.store.status().submissions.rejected == 1)
    }

    @Test func acceptedOriginalsAreArchivedUnderTheirHash() throws {
        let t = try TestStore()
        let text = nativeHeader + "cpi.index,01,2021-07,101.2,index,final,\n"
        guard case .accepted(_, _, _, let sha)? = try? t.ingest("cpi.csv", text) else { Issue.record("not accepted"); return }
        let archived = t.path + "/archive/" + sha.prefix(2) + "/" + sha
        #expect(FileManager.default.contents(atPath: archived) == Data(text.utf8))
        #expect(SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined() == sha)
    }

    @Test func unknownAgencyIsRefusedWithASuggestion() throws {
        let t = try TestStore()
        #expect { try t.ingest("x.csv", nativeHeader + "cpi.index,01,2021-07,101.2,index,final,\n", agency: "gos") } throws: {
            "\($0)".contains("unknown agency \"gos\"") && "\($0)".contains("did you mean gso?")
        }
    }

    @Test func hostileFileNamesAreNeverPaths() throws {
        let t = try TestStore()
        let text = nativeHeader + "cpi.index,01,2021-07,101.2,index,final,\n"
        let path = t.file("plain.csv", text)
        for name in ["../../etc/passwd", "/absolute/x.csv", "a\u{202E}vsc.exe", String(repeating: "n", count: 400), "..", "tab\there"] {
            let o = try t.store.ingest(IngestRequest(path: path, agency: "gso", displayName: name))
            if case .accepted(_, _, let shown, _) = o {
                #expect(!shown.contains("/") && !shown.contains("\u{202E}") && shown.utf8.count <= 255 && shown != "..")
            } else if case .duplicate(_, let shown, _) = o {
                #expect(!shown.contains("/") && !shown.contains("\u{202E}") && shown.utf8.count <= 255 && shown != "..")
            }
        }
        // Nothing was written outside the store.
        #expect(!FileManager.default.fileExists(atPath: t.dir.path + "/etc"))
    }

    @Test func symlinksFifosAndDirectoriesAreRefused() throws {
        let t = try TestStore()
        let target = t.file("real.csv", nativeHeader + "cpi.index,01,2021-07,101.2,index,final,\n")
        let link = t.dir.file("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect { try t.store.ingest(IngestRequest(path: link, agency: "gso")) } throws: { "\($0)".contains("symbolic link") }
        let fifo = t.dir.file("fifo.csv")
        #expect(mkfifo(fifo, 0o644) == 0)
        #expect { try t.store.ingest(IngestRequest(path: fifo, agency: "gso")) } throws: { "\($0)".contains("FIFO") }
        #expect { try t.store.ingest(IngestRequest(path: t.dir.path, agency: "gso")) } throws: { "\($0)".contains("directory") }
    }

    @Test func retractingNothingIsAnError() throws {
        let t = try TestStore()
        let o = try t.ingest("r.csv", "indicator,region,period,value,action\ncpi.index,01,2021-07,,retract\n")
        #expect(o.rejectedIssues?.first?.code == "nothing_to_retract")
    }
}
