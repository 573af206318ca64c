import AlmanacLog
import AlmanacSQLite
import Foundation

/// `almanac status` and `almanac verify`.
public struct StoreStatus: Sendable {
    public var logHead: UInt64
    public var segments: Int
    public var logBytes: Int
    public var readModelGeneration: Int?
    public var checkpoint: UInt64
    public var lag: UInt64 { logHead > checkpoint ? logHead - checkpoint : 0 }
    public var rowCounts: [(table: String, rows: Int)]
    public var storeBytes: Int
    public var submissions: (accepted: Int, rejected: Int)
}

public struct VerifyReport: Sendable {
    public var log: LogInspector.Report
    public var liveDigest: String?
    public var rebuiltDigest: String?
    /// Tables whose content differs between the live model and a fresh rebuild.
    public var differingTables: [String]
    public var integrity: [String]
    public var isClean: Bool { log.problem == nil && differingTables.isEmpty && integrity == ["ok"] }
}

extension Store {
    /// The log head, the read model's checkpoint and lag, row counts and sizes. Does not
    /// catch up (it reports the lag as it is).
    public func status() throws -> StoreStatus {
        try requireInitialised()
        let log = try LogInspector.verify(path: layout.log, decompress: false)
        var status = StoreStatus(logHead: log.nextSequence - 1, segments: log.segments, logBytes: log.bytesOnDisk,
                                 readModelGeneration: nil, checkpoint: 0, rowCounts: [], storeBytes: Store.directoryBytes(layout.root),
                                 submissions: (0, 0))
        if let (generation, path) = readModel.current() {
            status.readModelGeneration = generation
            let db = try Database(path: path, options: .readOnlyQueries)
            status.checkpoint = try Projector.checkpoint(db)
            for (table, _) in ReadModelSchema.digestTables {
                if case .integer(let n)? = try db.firstValue("SELECT count(*) FROM \(Database.quoteIdentifier(table))") {
                    status.rowCounts.append((table, Int(n)))
                }
            }
            for row in try db.rows("SELECT status, count(*) FROM submissions GROUP BY status") {
                if case .text(let s) = row[0], case .integer(let n) = row[1] {
                    if s == "accepted" { status.submissions.accepted = Int(n) } else { status.submissions.rejected = Int(n) }
                }
            }
        }
        return status
    }

    /// Every log check, `PRAGMA integrity_check`, and a digest of each read-model table
    /// compared with a fresh rebuild into a temporary file.
    public func verify(progress: ProgressReporter? = nil) throws -> VerifyReport {
        try requireInitialised()
        let log = try LogInspector.verify(path: layout.log)
        var report = VerifyReport(log: log, differingTables: [], integrity: [])
        guard log.problem == nil else { return report }
        let (live, _) = try readModel.openCaughtUp(progress: progress)
        report.integrity = try live.integrityCheck()
        let scratch = layout.tmp + "/verify-\(getpid()).sqlite"
        for suffix in ["", "-wal", "-shm"] { unlink(scratch + suffix) }
        defer { for suffix in ["", "-wal", "-shm"] { unlink(scratch + suffix) } }
        let fresh = try Database(path: scratch, options: .init(readOnly: false, create: true, journalMode: .wal, synchronous: .off))
        try ReadModel.createSchema(fresh)
        try ReadModel.catchUp(fresh, logPath: layout.log, progress: progress)
        // Compare at the same log position: the live model may have moved on meanwhile.
        guard try Projector.checkpoint(fresh) == Projector.checkpoint(live) else {
            report.differingTables = ["(the log moved during verify; run it again)"]
            return report
        }
        report.liveDigest = try ReadModel.digest(live).hex
        report.rebuiltDigest = try ReadModel.digest(fresh).hex
        for (table, _) in ReadModelSchema.digestTables where try live.digest(tables: [table]) != fresh.digest(tables: [table]) {
            report.differingTables.append(table)
        }
        return report
    }

    static func directoryBytes(_ path: String) -> Int {
        guard let e = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total = 0
        while let name = e.nextObject() as? String {
            if let attrs = try? FileManager.default.attributesOfItem(atPath: path + "/" + name),
               attrs[.type] as? FileAttributeType == .typeRegular, let size = attrs[.size] as? Int {
                total += size
            }
        }
        return total
    }
}
