import Glibc
import Logging

/// The single writer of a log directory.
///
/// Opening takes the directory's writer lock, checks every batch (header, payload CRC,
/// chain, sequence numbers), cuts a torn last batch (keeping its bytes in a `.broken`
/// file) and refuses to open when damage lies anywhere before the tail. Each `append`
/// writes one batch — header frame and zstd frame in one write — and, by default, fsyncs
/// it before returning. A failed write or fsync stops the writer for good: its state on
/// disk is no longer known, and a retried fsync can lie.
///
/// Thread-safe: appends are serialised by an internal lock.
public final class LogWriter: @unchecked Sendable {
    public let directory: SegmentDirectory
    public let options: LogOptions
    /// What recovery found and did when this writer opened the log.
    public let recovery: RecoveryReport

    private let lock = Lock()
    private var writerLock: WriterLock?
    private let io: FileIO
    // State below is guarded by `lock`.
    private var segment: SegmentFile
    private var segmentSize: Int
    private var index: SegmentIndex
    private var indexFD: Int32 = -1
    private var lastIndexedOffset: Int
    private var next: UInt64
    private var lastCRC: UInt32
    private var lastSyncMs: Int64
    private var stopped: LogError?
    private var closed = false
    private let compressor: ZstdCompressor
    private lazy var background = BackgroundSync(io: io)
    private var batchesWritten: UInt64 = 0
    private let plain = ByteBuffer(capacity: 1 << 20)
    private let frame = ByteBuffer(capacity: 1 << 20)

    /// Opens (creating if needed) the log in `path` for writing.
    public init(path: String, options: LogOptions = LogOptions()) throws {
        let directory = SegmentDirectory(path: path)
        self.directory = directory
        self.options = options
        self.io = options.io
        try directory.create()
        self.writerLock = try WriterLock(path: directory.lockPath, io: io)
        self.compressor = ZstdCompressor(level: options.compressionLevel, workers: options.compressionWorkers)

        var scan = try LogScanner(directory: directory, io: io).scan(depth: .checksums)
        var truncation: RecoveryReport.Truncation?
        if let damage = scan.damage {
            guard damage.tornTail else {
                throw LogError.corrupt("\(damage.reason); the log is damaged before its last batch and will not be opened for writing (run `almanac log verify`)", path: damage.path, offset: damage.offset)
            }
            truncation = try LogWriter.cutTornTail(damage, directory: directory, io: io)
            options.logger.warning("log recovery: cut a torn last batch", metadata: [
                "segment": .string(damage.path), "offset": .stringConvertible(damage.offset),
                "bytes": .stringConvertible(truncation!.bytes), "kept": .string(truncation!.brokenPath),
                "reason": .string(damage.reason),
            ])
            scan.damage = nil
        }
        self.recovery = RecoveryReport(truncation: truncation, nextSequence: scan.nextSequence, batches: scan.batches)
        self.next = scan.nextSequence
        self.lastCRC = scan.lastCRC
        self.lastSyncMs = options.clock()

        let first: UInt64
        if let last = scan.segments.last {
            first = last
        } else {
            first = 1
            try LogWriter.createSegment(directory: directory, firstSequence: 1, io: io)
        }
        self.segment = try SegmentFile(directory: directory, firstSequence: first, io: io, writable: true)
        self.segmentSize = segment.size
        self.index = try SegmentIndex.rebuild(segment)
        self.lastIndexedOffset = index.entries.last?.offset ?? Int.min / 2
        openIndexFile(rewrite: true)
    }

    deinit {
        if indexFD >= 0 { io.close(indexFD) }
    }

    /// The sequence number the next appended event will get.
    public var nextSequence: UInt64 { lock.withLock { next } }

    /// Appends one batch built by `fill`, atomically: after a crash it is either wholly in
    /// the log or not at all. Returns once the batch is durable per `options.durability`.
    @discardableResult
    public func append(_ fill: (inout BatchEncoder) throws -> Void) throws -> AppendResult {
        try lock.withLock { try encodeAndWrite(fill, deferSync: false) }
    }

    /// Appends the given events as one batch.
    @discardableResult
    public func append(_ events: [PendingEvent]) throws -> AppendResult {
        try append { encoder in
            for e in events { encoder.add(e) }
        }
    }

    /// Writes one batch and returns at once; its fsync runs on a background thread.
    /// Call `waitDurable` before acknowledging the batch to anyone. With durability other
    /// than `.everyBatch` this is `append` (nothing to wait for).
    public func appendPipelined(_ fill: (inout BatchEncoder) throws -> Void) throws -> AppendTicket {
        try lock.withLock {
            let result = try encodeAndWrite(fill, deferSync: options.durability == .everyBatch)
            return AppendTicket(result: result, batch: batchesWritten)
        }
    }

    /// Encodes a batch with `fill` and writes it (called with `lock` held). A failure of the
    /// background fsync, or of any earlier write or fsync, refuses the batch.
    private func encodeAndWrite(_ fill: (inout BatchEncoder) throws -> Void, deferSync: Bool) throws -> AppendResult {
        if let failed = background.failed { stopped = stopped ?? failed }
        if let stopped { throw LogError(.writerStopped, "the log writer stopped after an earlier failure: \(stopped.description)") }
        if closed { throw LogError(.writerStopped, "the log writer is closed") }
        let now = options.clock()
        plain.removeAll()
        var encoder = BatchEncoder(buffer: plain, firstSequence: next, time: Timestamp.iso8601(ms: now))
        try fill(&encoder)
        guard encoder.count > 0 else { throw LogError(.invalidArgument, "a batch needs at least one event") }
        let tail = encoder.tail, tailBytes = encoder.tailBytes
        let bytes = plain.count + tailBytes.count
        guard bytes <= BatchHeader.uncompressedBytesMax, encoder.count <= BatchHeader.eventsMax else {
            throw LogError(.invalidArgument, "batch too large: \(encoder.count) events, \(bytes) bytes (limits \(BatchHeader.eventsMax) events, \(BatchHeader.uncompressedBytesMax) bytes)")
        }
        return try withExtendedLifetime(tail) {
            try writeBatch(count: encoder.count, recordedAtMs: now, tail: tailBytes, deferSync: deferSync)
        }
    }

    /// Blocks until the ticket's batch has been fsynced (its own fsync, after its write).
    public func waitDurable(_ ticket: AppendTicket) throws {
        guard options.durability == .everyBatch else { return }
        do { try background.wait(for: ticket.batch) } catch {
            lock.withLock { stopped = stopped ?? LogError.wrap(error) }
            throw error
        }
    }

    /// Makes everything appended so far durable (for `.interval` and `.none`).
    public func sync() throws {
        try lock.withLock { () throws in
            if let stopped { throw LogError(.writerStopped, "the log writer stopped after an earlier failure: \(stopped.description)") }
            try syncLocked()
        }
    }

    /// Syncs, then releases the writer lock; later appends fail.
    public func close() throws {
        try lock.withLock { () throws in
            guard !closed else { return }
            closed = true
            defer { writerLock = nil }
            background.drain()
            if let failed = background.failed { stopped = stopped ?? failed }
            if stopped == nil && options.durability != .none { try syncLocked() }
        }
    }

    // MARK: - Internals (called with `lock` held)

    /// Writes the batch whose JSON Lines are `plain` then `tail`.
    private func writeBatch(count: Int, recordedAtMs: Int64, tail: UnsafeRawBufferPointer, deferSync: Bool = false) throws -> AppendResult {
        frame.removeAll()
        frame.reserve(BatchHeader.encodedBytes)
        frame.count = BatchHeader.encodedBytes
        let compressed: Int
        do {
            compressed = tail.isEmpty ? try compressor.compress(plain.bytes, appendingTo: frame)
                : try compressor.compress(plain.bytes, then: tail, appendingTo: frame)
        } catch {
            throw LogError(.invalidArgument, "compression failed: \(error)")
        }
        let payload = UnsafeRawBufferPointer(start: frame.base + BatchHeader.encodedBytes, count: compressed)
        var header = BatchHeader(firstSequence: next, count: UInt32(count), compressedBytes: UInt32(compressed),
                                 uncompressedBytes: UInt32(plain.count + tail.count), recordedAtMs: recordedAtMs,
                                 payloadCRC: CRC32C.checksum(payload), previousCRC: lastCRC)
        header.flags = BatchHeader.flagCanonicalLines
        let headerBytes = header.encode()
        headerBytes.withUnsafeBytes { frame.base.copyMemory(from: $0.baseAddress!, byteCount: BatchHeader.encodedBytes) }

        if segmentSize > 0 && segmentSize + frame.count > options.segmentBytesMax { try roll() }
        let offset = segmentSize
        do {
            try io.pwrite(segment.fd, frame.bytes, at: offset, path: segment.path)
        } catch {
            // Put the file back as it was if we can; either way this writer is done.
            try? io.ftruncate(segment.fd, to: offset, path: segment.path)
            stopped = LogError.wrap(error)
            throw error
        }
        segmentSize += frame.count
        batchesWritten += 1
        if deferSync {
            background.enqueue(batch: batchesWritten, fd: segment.fd, path: segment.path, keep: segment)
        } else if options.durability == .everyBatch || shouldSyncForInterval(now: recordedAtMs) {
            do { try syncLocked() } catch { stopped = LogError.wrap(error); throw error }
        }
        let result = AppendResult(firstSequence: next, count: count, bytes: frame.count, recordedAtMs: recordedAtMs)
        next = header.nextSequence
        lastCRC = header.headerCRC
        noteIndex(firstSequence: result.firstSequence, offset: offset)
        return result
    }

    private func shouldSyncForInterval(now: Int64) -> Bool {
        if case .interval(let ms) = options.durability { return now - lastSyncMs >= Int64(ms) }
        return false
    }

    private func syncLocked() throws {
        do { try io.fsync(segment.fd, path: segment.path) } catch { stopped = LogError.wrap(error); throw error }
        lastSyncMs = options.clock()
    }

    /// Closes the current segment and starts the next, named by the next sequence number.
    private func roll() throws {
        // Pipelined fsyncs of the old segment finish first; then it is synced once more.
        background.drain()
        if let failed = background.failed { stopped = failed; throw failed }
        if options.durability != .none {
            try syncLocked()
        }
        do {
            try LogWriter.createSegment(directory: directory, firstSequence: next, io: io)
            segment = try SegmentFile(directory: directory, firstSequence: next, io: io, writable: true)
        } catch {
            stopped = LogError.wrap(error)
            throw error
        }
        segmentSize = 0
        index = SegmentIndex()
        lastIndexedOffset = Int.min / 2
        openIndexFile(rewrite: true)
    }

    static func createSegment(directory: SegmentDirectory, firstSequence: UInt64, io: FileIO) throws {
        let fd = try io.open(directory.segmentPath(firstSequence: firstSequence), flags: O_RDWR | O_CREAT | O_EXCL, mode: 0o644)
        io.close(fd)
        // The new name must survive a crash before the first batch in it is acknowledged.
        try io.fsyncDirectory(directory.path)
    }

    /// The index is a hint: failures to write it are ignored (readers check every entry
    /// and rebuild what is missing).
    private func openIndexFile(rewrite: Bool) {
        if indexFD >= 0 { io.close(indexFD); indexFD = -1 }
        let path = directory.indexPath(firstSequence: segment.firstSequence)
        if rewrite { try? index.store(path: path, io: io) }
        indexFD = (try? io.open(path, flags: O_WRONLY, mode: 0)) ?? -1
    }

    private func noteIndex(firstSequence: UInt64, offset: Int) {
        guard index.entries.isEmpty || offset - lastIndexedOffset >= SegmentIndex.intervalBytes else { return }
        let entry = SegmentIndex.Entry(firstSequence: firstSequence, offset: offset)
        index.entries.append(entry)
        lastIndexedOffset = offset
        guard indexFD >= 0 else { return }
        let at = SegmentIndex.magic.count + (index.entries.count - 1) * SegmentIndex.entryBytes
        _ = try? SegmentIndex.encode(entry).withUnsafeBytes { (b) throws in try io.pwrite(indexFD, b, at: at, path: "index") }
    }

    /// Cuts the log at a torn tail, first copying the cut bytes to a `.broken` file.
    static func cutTornTail(_ damage: LogScanner.Damage, directory: SegmentDirectory, io: FileIO) throws -> RecoveryReport.Truncation {
        let file = try SegmentFile(directory: directory, firstSequence: damage.segment, io: io, writable: true)
        let length = file.size - damage.offset
        var cut = [UInt8](repeating: 0, count: length)
        _ = try cut.withUnsafeMutableBytes { (b) throws -> Int in try io.preadFully(file.fd, into: b, at: damage.offset, path: file.path) }
        var brokenPath = "\(file.path).\(damage.offset).broken"
        var attempt = 1
        while access(brokenPath, F_OK) == 0 {
            attempt += 1
            brokenPath = "\(file.path).\(damage.offset).\(attempt).broken"
        }
        let fd = try io.open(brokenPath, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o644)
        do {
            try cut.withUnsafeBytes { (b) throws in try io.pwrite(fd, b, at: 0, path: brokenPath) }
            try io.fsync(fd, path: brokenPath)
        } catch {
            io.close(fd)
            throw error
        }
        io.close(fd)
        try io.fsyncDirectory(directory.path)
        try io.ftruncate(file.fd, to: damage.offset, path: file.path)
        try io.fsync(file.fd, path: file.path)
        return .init(segmentPath: file.path, offset: damage.offset, bytes: length, brokenPath: brokenPath, reason: damage.reason)
    }
}
