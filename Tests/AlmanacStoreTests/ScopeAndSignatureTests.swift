import AlmanacDomain
import AlmanacStore
import AlmanacTesting
import Crypto
import Foundation
import Testing

/// Every agency × family × region sample in scope is accepted and out of scope rejected;
/// signatures are required when the agency has a key, and forged ones are refused.
@Suite struct ScopeAndSignatureTests {
    static let samples: [(indicator: String, family: String, unit: String, period: String, value: String)] = [
        ("cpi.index", "cpi", "index", "2021-07", "101.5"),
        ("budget.revenue", "budget", "bn_vnd", "2021-06", "1234.5"),
        ("gdp.grdp_growth", "gdp", "percent", "2021-H1", "6.5"),
        ("investment.fdi_registered", "investment", "mn_usd", "2021-06", "120.5"),
    ]
    static let regions = ["19", "01", "79", "NMM"]

    @Test func everyAgencyFamilyRegionCombination() throws {
        let t = try TestStore(agencies: false)
        let agencies: [Agency] = [
            try Agency(id: "all", name: "All"),
            try Agency(id: "tn-budget", name: "Sở Tài chính Thái Nguyên", families: ["budget"], regions: ["19"]),
            try Agency(id: "north-cpi", name: "CPI north", families: ["cpi", "gdp"], regions: ["01", "19", "NMM"]),
            try Agency(id: "nothing", name: "Nothing", families: [], regions: []),
        ]
        for a in agencies { try t.store.registerAgency(a) }
        var checked = 0
        for a in agencies {
            for s in Self.samples {
                for r in Self.regions {
                    let text = nativeHeader + "\(s.indicator),\(r),\(s.period),\(s.value),\(s.unit),final,\n"
                    let o = try t.ingest("\(a.id)-\(s.family)-\(r).csv", text, agency: a.id)
                    let inScope = a.permits(family: s.family, region: r)
                    if inScope {
                        #expect(o.counts != nil || o.isDuplicate, "\(a.id) \(s.family) \(r) should be accepted: \(String(describing: o.rejectedIssues))")
                    } else {
                        #expect(o.rejectedIssues?.contains { $0.code == "out_of_scope" } == true, "\(a.id) \(s.family) \(r) should be out of scope")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 64)
    }

    @Test func signaturesAreRequiredAndChecked() throws {
        let t = try TestStore(agencies: false)
        let key = Curve25519.Signing.PrivateKey()
        let other = Curve25519.Signing.PrivateKey()
        try t.store.registerAgency(try Agency(id: "signed", name: "Signed", publicKey: key.publicKey.rawRepresentation))
        let text = nativeHeader + "cpi.index,01,2021-07,101.2,index,final,\n"
        let path = t.file("cpi.csv", text)
        let digest = Data(SHA256.hash(data: Data(text.utf8)))
        func sigFile(_ name: String, _ data: Data) -> String { t.file(name, String(decoding: data.base64EncodedData(), as: UTF8.self)) }

        // No signature.
        let none = try t.store.ingest(IngestRequest(path: path, agency: "signed"))
        #expect(none.rejectedIssues?.first?.code == "signature")
        // Signed by another agency's key.
        let forged = try t.store.ingest(IngestRequest(path: path, agency: "signed", signaturePath: sigFile("forged.sig", try other.signature(for: digest))))
        #expect(forged.rejectedIssues?.first?.text.contains("does not match") == true)
        // A good signature over different bytes.
        let otherDigest = Data(SHA256.hash(data: Data("something else".utf8)))
        let mismatched = try t.store.ingest(IngestRequest(path: path, agency: "signed", signaturePath: sigFile("other.sig", try key.signature(for: otherDigest))))
        #expect(mismatched.rejectedIssues?.first?.code == "signature")
        // Garbage.
        let garbage = try t.store.ingest(IngestRequest(path: path, agency: "signed", signaturePath: t.file("g.sig", "not a signature")))
        #expect(garbage.rejectedIssues?.first?.text.contains("not a 64-byte") == true)
        // The right key over the right bytes (raw 64 bytes this time).
        let goodPath = t.dir.file("good.sig")
        FileManager.default.createFile(atPath: goodPath, contents: try key.signature(for: digest))
        let good = try t.store.ingest(IngestRequest(path: path, agency: "signed", signaturePath: goodPath))
        #expect(good.counts?.reported == 1)
        // A replay of the same signed file is a duplicate, never a second submission.
        #expect(try t.store.ingest(IngestRequest(path: path, agency: "signed", signaturePath: goodPath)).isDuplicate)
    }
}
