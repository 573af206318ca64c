import AlmanacLog
import AlmanacSQLite
import Foundation
import Glibc

/// The read models of a store: SQLite files derived from the log alone.
///
/// Generations: each (re)build writes a new file `rm-NNNNNN.sqlite` beside the live one and
/// then switches the `current` pointer file with an atomic rename, so readers see either
/// the old model or the new one, never half of either (blue/green). A model whose schema
/// version differs from this build's is rebuilt that way automatically on open.
public struct ReadModel: Sendable {
    public let layout: StoreLayout

    public init(layout: StoreLayout) { self.layout = layout }

    /// The live generation and its file, or nil before the first projection.
    public func current() -> (generation: Int, path: String)? {
        guard let text = try? String(contentsOfFile: layout.readModelPointer, encoding: .utf8) else { return nil }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard name.hasPrefix("rm-"), name.hasSuffix(".sqlite"), let g = Int(name.dropFirst(3).dropLast(7)) else { return nil }
        return (g, layout.readModelDirectory + "/" + name)
    }

    /// Opens the live model for projecting (read-write), creating or rebuilding it first
    /// when needed, and catches it up with the log.
    public func openCaughtUp(progress: ProgressReporter? = nil) throws -> (db: Database, applied: Int) {
        let db = try openLive(progress: progress)
        let applied = try ReadModel.catchUp(db, logPath: layout.log, progress: progress)
        return (db, applied)
    }

    /// Opens the live model without catching up (creating or rebuilding it if needed).
    func openLive(progress: ProgressReporter? = nil) throws -> Database {
        if let (_, path) = current() {
            let db = try ReadModel.open(path)
            if try ReadModel.schemaVersion(db) == ReadModelSchema.version { return db }
            // Built by another version of the projection code: rebuild beside it, swap.
        }
        _ = try rebuild(progress: progress)
        guard let (_, path) = current() else { throw StoreError(.readModel, "the read model pointer is missing after a rebuild") }
        return try ReadModel.open(path)
    }

    static func open(_ path: String) throws -> Database {
        // The log is the durable copy: the model can be rebuilt, so NORMAL is enough; the
        // checkpoint commits with the rows, so a lost tail of transactions is re-applied.
        let db = try Database(path: path, options: .init(readOnly: false, create: false, journalMode: .wal, synchronous: .normal))
        try db.execute("PRAGMA cache_size = -\(projectionCacheKiB)")
        return db
    }

    /// The page cache of a projecting connection: a projection touches pages of every
    /// series of a period in turn, and SQLite's default 2 MB cache re-reads them (measured:
    /// 7.5 s → 4.8 s for 300,000 events). Memory is only used as the model grows.
    public static let projectionCacheKiB = 256 * 1024

    static func schemaVersion(_ db: Database) throws -> Int {
        guard case .text(let t)? = try db.firstValue("SELECT value FROM meta WHERE key = 'schema_version'") else { return 0 }
        return Int(t) ?? 0
    }

    /// Applies every event after the model's checkpoint, a few hundred thousand events per
    /// transaction, each transaction carrying its checkpoint. Safe to run from several
    /// processes at once: the checkpoint is read inside the write transaction.
    @discardableResult
    public static func catchUp(_ db: Database, logPath: String, progress: ProgressReporter? = nil) throws -> Int {
        try catchUp(db, logPath: logPath, progress: progress, eventsPerTransaction: 250_000)
    }

    /// `catchUp` with a given transaction size (whole batches; tests use small ones).
    static func catchUp(_ db: Database, logPath: String, progress: ProgressReporter?, eventsPerTransaction: Int) throws -> Int {
        let reader = try LogReader(path: logPath)
        let projector = try Projector(db: db)
        var applied = 0
        var total: UInt64?
        while true {
            var reached: UInt64 = 0
            let done: Bool = try db.transaction(.immediate) {
                let from = try Projector.checkpoint(db) + 1
                projector.begin(checkpoint: from - 1)
                let cursor = try reader.cursor(from: from)
                var last = from - 1
                var inThisTransaction = 0
                while inThisTransaction < eventsPerTransaction, let batch = try cursor.next() {
                    guard batch.header.firstSequence == last + 1 else {
                        throw StoreError(.readModel, "read model checkpoint \(last) is not at a batch boundary (batch starts at \(batch.header.firstSequence)); run `almanac rebuild`")
                    }
                    try projector.apply(batch)
                    last = batch.header.nextSequence - 1
                    inThisTransaction += Int(batch.header.count)
                }
                try projector.flush()
                if inThisTransaction > 0 { try Projector.setCheckpoint(db, last) }
                applied += inThisTransaction
                reached = last
                if let progress, inThisTransaction > 0 {
                    if total == nil { total = (try? reader.headSequence()).map { $0 - 1 } }
                    progress.report(done: Int(last), total: total.map(Int.init), unit: "events")
                }
                return inThisTransaction == 0
            }
            projector.committed(through: reached)
            if done { break }
        }
        return applied
    }

    /// Replays the whole log into a new generation and switches to it atomically.
    public func rebuild(progress: ProgressReporter? = nil) throws -> (generation: Int, path: String, events: Int) {
        let generation = (current()?.generation ?? 0) + 1
        let final = layout.readModelFile(generation: generation)
        let building = final + ".building"
        for suffix in ["", "-wal", "-shm"] { unlink(building + suffix) }
        var events = 0
        do {
            let db = try Database(path: building, options: .init(readOnly: false, create: true, journalMode: .wal, synchronous: .off))
            try db.execute("PRAGMA cache_size = -\(ReadModel.projectionCacheKiB)")
            try ReadModel.createSchema(db)
            events = try ReadModel.catchUp(db, logPath: layout.log, progress: progress)
            _ = try db.checkpoint(truncate: true)
            try db.execute("PRAGMA journal_mode = DELETE")
        }
        try ReadModel.fsyncFile(building)
        guard rename(building, final) == 0 else { throw StoreError(.io, "cannot rename \(building): \(String(cString: strerror(errno)))") }
        try switchPointer(to: generation)
        removeGenerations(olderThan: generation - 1)
        progress?.finish()
        return (generation, final, events)
    }

    static func createSchema(_ db: Database) throws {
        try db.transaction(.immediate) {
            for statement in ReadModelSchema.statements { try db.execute(statement) }
            try db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?), ('last_seq', '0')",
                           arguments: [.text(String(ReadModelSchema.version))])
        }
    }

    func switchPointer(to generation: Int) throws {
        let tmp = layout.readModelPointer + ".tmp"
        let text = StoreLayout.readModelName(generation: generation) + "\n"
        FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8))
        try ReadModel.fsyncFile(tmp)
        guard rename(tmp, layout.readModelPointer) == 0 else {
            throw StoreError(.io, "cannot switch the read model: \(String(cString: strerror(errno)))")
        }
        try ReadModel.fsyncFile(layout.readModelDirectory)
    }

    func removeGenerations(olderThan keep: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.readModelDirectory) else { return }
        for name in names where name.hasPrefix("rm-") {
            let digits = name.dropFirst(3).prefix(while: { $0.isNumber })
            if let g = Int(digits), g < keep { unlink(layout.readModelDirectory + "/" + name) }
        }
    }

    static func fsyncFile(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw StoreError(.io, "cannot open \(path) to fsync: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw StoreError(.io, "fsync \(path) failed: \(String(cString: strerror(errno)))") }
    }

    /// A digest of the model's content (every table, ordered), to compare with a rebuild.
    public static func digest(_ db: Database) throws -> ContentDigest {
        try db.digest(tables: ReadModelSchema.digestTables.map(\.table))
    }
}
