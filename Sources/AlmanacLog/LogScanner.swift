/// Walks the batches of a log from its first segment, checking each link: header checksum,
/// payload checksum, gapless sequence numbers, the CRC chain, and (when asked) that the
/// payload decompresses to exactly the events its header announces.
///
/// The scanner classifies the first damage it finds: damage in the last segment with no
/// valid batch header anywhere after it is a *torn tail* (a write that did not finish);
/// anything else is *corruption* and the log must not be opened for writing.
struct LogScanner {
    let directory: SegmentDirectory
    let io: FileIO

    struct Damage: Sendable {
        var path: String
        var segment: UInt64
        var offset: Int
        var reason: String
        var tornTail: Bool
    }

    struct Outcome {
        /// The sequence number the next batch must carry.
        var nextSequence: UInt64 = 1
        /// `headerCRC` of the last good batch (0 when the log is empty).
        var lastCRC: UInt32 = 0
        var segments: [UInt64] = []
        /// Bytes of each segment that hold whole, valid batches.
        var validBytes: [UInt64: Int] = [:]
        var batches = 0
        var events: UInt64 = 0
        var compressedBytes = 0
        var uncompressedBytes = 0
        var damage: Damage?
    }

    enum Depth {
        /// Headers, chain and the CRC of every payload.
        case checksums
        /// Also decompress every payload and check every event line.
        case full
    }

    /// Scans every segment. `onBatch` sees each good batch with its offset.
    func scan(depth: Depth, onBatch: ((BatchHeader, UInt64, Int) -> Void)? = nil) throws -> Outcome {
        var out = Outcome()
        out.segments = try directory.segments()
        let payload = ByteBuffer(capacity: 1 << 20)
        let decompressor = depth == .full ? ZstdDecompressor() : nil
        let plain = ByteBuffer(capacity: 1 << 20)
        for (index, first) in out.segments.enumerated() {
            let isLast = index == out.segments.count - 1
            let file = try SegmentFile(directory: directory, firstSequence: first, io: io)
            var offset = 0
            func damage(_ reason: String, at offset: Int, forceCorrupt: Bool = false) throws -> Damage {
                var torn = !forceCorrupt && isLast
                if torn { torn = try file.validHeaderExists(after: offset) == nil }
                return Damage(path: file.path, segment: first, offset: offset, reason: reason, tornTail: torn)
            }
            if first != out.nextSequence {
                out.damage = Damage(path: file.path, segment: first, offset: 0,
                                    reason: "segment starts at sequence \(first), expected \(out.nextSequence) (a segment is missing or misnamed)",
                                    tornTail: false)
                return out
            }
            if file.size == 0 && !isLast {
                out.damage = Damage(path: file.path, segment: first, offset: 0, reason: "empty segment before the last one", tornTail: false)
                return out
            }
            scanning: while true {
                switch try file.readHeader(at: offset) {
                case .end:
                    break scanning
                case .short(let available):
                    out.damage = try damage("file ends \(available) bytes into a batch header", at: offset)
                    break scanning
                case .invalid(let problem):
                    out.damage = try damage(problem.description, at: offset)
                    break scanning
                case .header(let h):
                    if h.firstSequence != out.nextSequence {
                        out.damage = try damage("batch starts at sequence \(h.firstSequence), expected \(out.nextSequence)", at: offset, forceCorrupt: true)
                        break scanning
                    }
                    if h.previousCRC != out.lastCRC {
                        out.damage = try damage("batch chain broken: previous CRC \(hex(h.previousCRC)), expected \(hex(out.lastCRC))", at: offset, forceCorrupt: true)
                        break scanning
                    }
                    guard try file.readPayload(h, at: offset, into: payload) else {
                        out.damage = try damage("file ends inside the batch payload (\(h.compressedBytes) bytes announced)", at: offset)
                        break scanning
                    }
                    let crc = CRC32C.checksum(payload.bytes)
                    if crc != h.payloadCRC {
                        out.damage = try damage("payload checksum mismatch (stored \(hex(h.payloadCRC)), computed \(hex(crc)))", at: offset)
                        break scanning
                    }
                    if let decompressor {
                        if let problem = check(h, payload: payload, decompressor: decompressor, plain: plain) {
                            out.damage = try damage(problem, at: offset, forceCorrupt: true)
                            break scanning
                        }
                    }
                    onBatch?(h, first, offset)
                    out.batches += 1
                    out.events += UInt64(h.count)
                    out.compressedBytes += h.totalBytes
                    out.uncompressedBytes += Int(h.uncompressedBytes)
                    out.nextSequence = h.nextSequence
                    out.lastCRC = h.headerCRC
                    offset += h.totalBytes
                }
            }
            out.validBytes[first] = offset
            if out.damage != nil { return out }
        }
        return out
    }

    /// Decompresses a payload whose checksum already matched and checks its event lines.
    private func check(_ h: BatchHeader, payload: ByteBuffer, decompressor: ZstdDecompressor, plain: ByteBuffer) -> String? {
        do {
            try decompressor.decompress(payload.bytes, expectedBytes: Int(h.uncompressedBytes), into: plain)
        } catch {
            return "payload does not decompress: \(error)"
        }
        var expected = h.firstSequence
        var problem: String?
        EventLines.forEach(plain.bytes) { line in
            guard problem == nil else { return }
            switch EventEnvelope.scanSequence(line) {
            case .some(let seq) where seq == expected: expected += 1
            case .some(let seq): problem = "event line holds sequence \(seq), expected \(expected)"
            case .none: problem = "event line \(expected - h.firstSequence + 1) is not a valid event envelope"
            }
        }
        if problem == nil && expected != h.nextSequence {
            problem = "batch holds \(expected - h.firstSequence) events, header says \(h.count)"
        }
        return problem
    }
}

func hex(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - s.count) + s
}
