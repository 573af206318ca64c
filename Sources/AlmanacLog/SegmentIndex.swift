import Glibc

/// The sparse index of one segment: a few (first sequence, byte offset) pairs, so a reader
/// can start near any sequence number without scanning the segment from its start.
///
/// File layout (little-endian): 8 bytes magic `ALMIDX01`, then 20-byte entries:
/// first sequence (u64), byte offset of that batch's header (u64), CRC-32C of those 16
/// bytes (u32). The index is only a hint: it is written without fsync, every entry is
/// checked against the batch header it points to before use, and it can always be rebuilt
/// from the segment (`rebuild`). A damaged entry ends the usable part of the file.
public struct SegmentIndex: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var firstSequence: UInt64
        public var offset: Int
    }

    public static let magic: [UInt8] = Array("ALMIDX01".utf8)
    static let entryBytes = 20
    /// An entry is written at the first batch of a segment and then whenever this many
    /// bytes of batches have been written since the last entry.
    public static let intervalBytes = 256 * 1024

    public var entries: [Entry] = []

    public init(entries: [Entry] = []) { self.entries = entries }

    static func encode(_ entry: Entry) -> [UInt8] {
        var out = [UInt8]()
        out.appendLE(entry.firstSequence)
        out.appendLE(UInt64(entry.offset))
        out.appendLE(CRC32C.checksum(out))
        return out
    }

    public func encoded() -> [UInt8] {
        var out = SegmentIndex.magic
        for e in entries { out += SegmentIndex.encode(e) }
        return out
    }

    /// Reads an index file; a missing or foreign file gives an empty index.
    static func load(path: String, io: FileIO) -> SegmentIndex {
        guard let fd = try? io.open(path, flags: O_RDONLY, mode: 0) else { return SegmentIndex() }
        defer { io.close(fd) }
        guard let size = try? io.fileSize(fd, path: path), size >= 8, size < 1 << 30 else { return SegmentIndex() }
        var bytes = [UInt8](repeating: 0, count: size)
        let n = (try? bytes.withUnsafeMutableBytes { (b) throws -> Int in try io.preadFully(fd, into: b, at: 0, path: path) }) ?? 0
        guard n == size, Array(bytes[0..<8]) == magic else { return SegmentIndex() }
        var index = SegmentIndex()
        var o = 8
        while o + entryBytes <= size {
            let stored = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o + 16, as: UInt32.self).littleEndian }
            guard CRC32C.checksum(bytes[o..<(o + 16)]) == stored else { break }
            let seq = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian }
            let off = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: o + 8, as: UInt64.self).littleEndian }
            if let last = index.entries.last, seq <= last.firstSequence || Int(off) <= last.offset { break }
            index.entries.append(Entry(firstSequence: seq, offset: Int(off)))
            o += entryBytes
        }
        return index
    }

    /// Writes the whole index to a temporary file and renames it into place.
    func store(path: String, io: FileIO) throws {
        let tmp = path + ".tmp"
        let fd = try io.open(tmp, flags: O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644)
        do {
            try encoded().withUnsafeBytes { (b) throws in try io.pwrite(fd, b, at: 0, path: tmp) }
        } catch {
            io.close(fd)
            throw error
        }
        io.close(fd)
        if rename(tmp, path) != 0 { throw LogError.io("rename", path: tmp, errno: errno) }
    }

    /// The entry to start from when looking for `sequence`: the last one at or before it.
    public func start(for sequence: UInt64) -> Entry? {
        var lo = 0, hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].firstSequence <= sequence { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : entries[lo - 1]
    }

    /// Builds the index of a segment by reading its batch headers (payloads are skipped).
    static func rebuild(_ file: SegmentFile) throws -> SegmentIndex {
        var index = SegmentIndex()
        var offset = 0
        var lastEntryOffset = Int.min / 2
        while case .header(let h) = try file.readHeader(at: offset) {
            if offset + h.totalBytes > file.size { break }
            if index.entries.isEmpty || offset - lastEntryOffset >= intervalBytes {
                index.entries.append(Entry(firstSequence: h.firstSequence, offset: offset))
                lastEntryOffset = offset
            }
            offset += h.totalBytes
        }
        return index
    }
}
