import Glibc

/// Reads a log, any number at a time and beside a live writer. A reader never takes the
/// writer lock and never changes a file.
///
/// A reader sees whole batches only: a batch the writer has not finished (short, or
/// failing its checksum with nothing valid after it) is "not there yet", and the cursor
/// returns nil until it is. Damage with valid batches after it is reported as corruption,
/// naming file and offset.
public final class LogReader: @unchecked Sendable {
    public let directory: SegmentDirectory
    let io: FileIO

    public init(path: String, io: FileIO = PosixFileIO()) throws {
        directory = SegmentDirectory(path: path)
        self.io = io
        _ = try directory.segments()
    }

    /// A cursor at the batch that holds `sequence` (1 = the start of the log).
    public func cursor(from sequence: UInt64 = 1) throws -> LogCursor {
        try LogCursor(reader: self, from: max(sequence, 1))
    }

    /// Calls `body` with every event from `sequence` on, up to the current end.
    public func forEachEvent(from sequence: UInt64 = 1, _ body: (EventEnvelope, BatchHeader) throws -> Void) throws {
        let c = try cursor(from: sequence)
        while let batch = try c.next() {
            try batch.forEachEvent(from: sequence) { try body($0, batch.header) }
        }
    }

    /// The sequence number after the last whole batch (1 for an empty log).
    public func headSequence() throws -> UInt64 {
        guard let last = try directory.segments().last else { return 1 }
        let c = try LogCursor(reader: self, from: last, positionOnly: true)
        while try c.skip() {}
        return c.expected
    }
}

/// One batch as read: its header, and its JSON Lines text (valid until the cursor moves).
public struct LogBatch {
    public let header: BatchHeader
    public let segmentPath: String
    public let offset: Int
    /// The decompressed JSON Lines, one event per line. Borrowed from the cursor.
    public let text: UnsafeRawBufferPointer

    /// Parses the events with sequence ≥ `from`.
    public func forEachEvent(from: UInt64 = 0, _ body: (EventEnvelope) throws -> Void) throws {
        var seq = header.firstSequence
        try EventLines.forEach(text) { line in
            defer { seq += 1 }
            guard seq >= from else { return }
            do { try body(try EventEnvelope.parse(line)) } catch let e as EventEnvelope.ParseError {
                throw LogError.corrupt("event \(seq): \(e.description)", path: segmentPath, offset: offset)
            }
        }
    }

    public var events: [EventEnvelope] {
        get throws {
            var out: [EventEnvelope] = []
            out.reserveCapacity(Int(header.count))
            try forEachEvent { out.append($0) }
            return out
        }
    }
}

/// Walks batches forward. `next()` returns nil at the current end of the log; call it
/// again later to see batches appended since (this is how a tail follower works).
public final class LogCursor {
    let reader: LogReader
    private var file: SegmentFile
    private var offset = 0
    /// The first sequence of the next batch to return.
    private(set) var expected: UInt64
    private var lastCRC: UInt32?
    private let compressed = ByteBuffer(capacity: 1 << 20)
    private let plain = ByteBuffer(capacity: 1 << 20)
    private let decompressor = ZstdDecompressor()

    init(reader: LogReader, from sequence: UInt64, positionOnly: Bool = false) throws {
        self.reader = reader
        let segments = try reader.directory.segments()
        guard let first = segments.last(where: { $0 <= sequence }) ?? segments.first else {
            throw LogError(.notFound, "the log has no segments", path: reader.directory.path)
        }
        file = try SegmentFile(directory: reader.directory, firstSequence: first, io: reader.io)
        expected = first
        if positionOnly { return }
        // Jump with the sparse index, then skip whole batches that end before `sequence`.
        let index = SegmentIndex.load(path: reader.directory.indexPath(firstSequence: first), io: reader.io)
        if let entry = index.start(for: sequence), case .header(let h) = try file.readHeader(at: entry.offset),
           h.firstSequence == entry.firstSequence {
            offset = entry.offset
            expected = entry.firstSequence
        }
        while case .header(let h) = try file.readHeader(at: offset), h.nextSequence <= sequence,
              offset + h.totalBytes <= file.size {
            guard h.firstSequence == expected else { break }
            offset += h.totalBytes
            expected = h.nextSequence
            lastCRC = h.headerCRC
        }
    }

    /// The next whole batch, or nil when there is none yet.
    public func next() throws -> LogBatch? {
        guard let h = try advance(readPayload: true) else { return nil }
        let batch = LogBatch(header: h.header, segmentPath: file.path, offset: h.offset, text: plain.bytes)
        return batch
    }

    /// Follows the tail: the next whole batch, waiting (polling every `pollMs`) up to
    /// `timeoutMs` for a writer to append one; nil when none came in time.
    public func next(waitingUpToMs timeoutMs: Int, pollMs: Int = 20) throws -> LogBatch? {
        let deadline = Timestamp.nowMs() + Int64(timeoutMs)
        while true {
            if let batch = try next() { return batch }
            if Timestamp.nowMs() >= deadline { return nil }
            usleep(UInt32(max(pollMs, 1)) * 1000)
        }
    }

    /// Moves past the next whole batch without decompressing it; false at the end.
    func skip() throws -> Bool { try advance(readPayload: false) != nil }

    private func advance(readPayload: Bool) throws -> (header: BatchHeader, offset: Int)? {
        while true {
            try file.refreshSize()
            let read = try file.readHeader(at: offset)
            switch read {
            case .end:
                // Move on only to the segment that must follow this one.
                guard expected != file.firstSequence else { return nil }
                let segments = try reader.directory.segments()
                if !segments.contains(expected) {
                    if segments.contains(where: { $0 > file.firstSequence }) {
                        throw LogError.corrupt("segment \(SegmentDirectory.segmentName(firstSequence: expected)) is missing", path: file.path, offset: offset)
                    }
                    return nil
                }
                file = try SegmentFile(directory: reader.directory, firstSequence: expected, io: reader.io)
                offset = 0
                continue
            case .short:
                try failIfNotTail("file ends inside a batch header")
                return nil
            case .invalid(let problem):
                try failIfNotTail(problem.description)
                return nil
            case .header(let h):
                guard h.firstSequence == expected else {
                    throw LogError.corrupt("batch starts at sequence \(h.firstSequence), expected \(expected)", path: file.path, offset: offset)
                }
                if let lastCRC, h.previousCRC != lastCRC {
                    throw LogError.corrupt("batch chain broken", path: file.path, offset: offset)
                }
                if offset + h.totalBytes > file.size {
                    try failIfNotTail("file ends inside the batch payload")
                    return nil
                }
                if readPayload {
                    guard try file.readPayload(h, at: offset, into: compressed) else { return nil }
                    if CRC32C.checksum(compressed.bytes) != h.payloadCRC {
                        try failIfNotTail("payload checksum mismatch")
                        return nil
                    }
                    do {
                        try decompressor.decompress(compressed.bytes, expectedBytes: Int(h.uncompressedBytes), into: plain)
                    } catch {
                        throw LogError.corrupt("payload does not decompress: \(error)", path: file.path, offset: offset)
                    }
                }
                let at = offset
                offset += h.totalBytes
                expected = h.nextSequence
                lastCRC = h.headerCRC
                return (h, at)
            }
        }
    }

    /// Damage followed by a valid batch, or in a segment that has a successor, is
    /// corruption; at the very end it is a batch still being written.
    private func failIfNotTail(_ reason: String) throws {
        let later = try reader.directory.segments().contains { $0 > file.firstSequence }
        let validAfter = try file.validHeaderExists(after: offset)
        if later || validAfter != nil {
            throw LogError.corrupt(reason, path: file.path, offset: offset)
        }
    }
}
