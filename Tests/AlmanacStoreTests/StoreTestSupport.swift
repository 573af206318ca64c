import AlmanacDomain
import AlmanacLog
import AlmanacStore
import AlmanacTesting
import Foundation

/// A fresh, initialised store in a temporary directory, with a fixed clock, no fsync (tests
/// do not need power-cut durability; the crash tests use real processes) and three agencies:
/// `gso` (everything), `tn-pso` (gdp and cpi for Thái Nguyên), `mof` (budget, everywhere).
final class TestStore {
    let dir = TemporaryDirectory("store")
    let store: Store
    let clock = FixedClock("2021-07-01T00:00:00.000Z")

    init(agencies: Bool = true) throws {
        store = Store(path: dir.file("store"))
        store.durability = .none
        let clock = self.clock
        store.clock = { clock.now() }
        try store.initialize()
        if agencies {
            try store.registerAgency(Agency(id: "gso", name: "Tổng cục Thống kê"))
            try store.registerAgency(Agency(id: "tn-pso", name: "Cục Thống kê Thái Nguyên", families: ["gdp", "cpi"], regions: ["19", "19N"]))
            try store.registerAgency(Agency(id: "mof", name: "Bộ Tài chính", families: ["budget"]))
        }
    }

    var path: String { store.layout.root }

    /// Writes `text` to a new file in the temporary directory and returns its path.
    func file(_ name: String, _ text: String) -> String {
        let path = dir.file(name)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func ingest(_ name: String, _ text: String, agency: String = "gso", signature: String? = nil) throws -> IngestOutcome {
        try store.ingest(IngestRequest(path: file(name, text), agency: agency, signaturePath: signature))
    }
}

extension IngestOutcome {
    var counts: Counts? { if case .accepted(_, let c, _, _) = self { return c } else { return nil } }
    var isDuplicate: Bool { if case .duplicate = self { return true } else { return false } }
    var rejectedIssues: [ValidationIssueLine]? {
        if case .rejected(_, let issues, _, _, _, _) = self { return issues.map { ValidationIssueLine(code: $0.code, text: $0.description) } }
        return nil
    }
    var quarantine: String? { if case .rejected(_, _, _, let q, _, _) = self { return q } else { return nil } }
    var submission: UInt64? {
        switch self {
        case .accepted(let s, _, _, _): return s
        case .rejected(let s, _, _, _, _, _): return s
        case .duplicate: return nil
        }
    }
}

struct ValidationIssueLine: Equatable {
    var code: String
    var text: String
}

/// The header of the native CSV used across the store tests.
let nativeHeader = "indicator,region,period,value,unit,status,release_date\n"
