import Glibc

/// Read-only checks and figures for a whole log: `almanac log verify` and `log stats`.
public enum LogInspector {
    /// What a scan of the whole log found.
    public struct Report: Sendable {
        public var segments: Int
        public var batches: Int
        public var events: UInt64
        /// Bytes of whole, valid batches in segment files.
        public var bytesOnDisk: Int
        /// Bytes of JSON Lines inside those batches.
        public var bytesUncompressed: Int
        /// Sequence number the next event will get.
        public var nextSequence: UInt64
        /// The first damage found, if any.
        public var problem: Problem?

        public var compressionRatio: Double {
            bytesOnDisk == 0 ? 0 : Double(bytesUncompressed) / Double(bytesOnDisk)
        }
    }

    public struct Problem: Sendable, CustomStringConvertible {
        public var path: String
        public var offset: Int
        public var reason: String
        /// True when the damage is a torn last batch, which the writer cuts on open.
        public var tornTail: Bool

        public var description: String {
            "\(path) at byte \(offset): \(reason)" + (tornTail ? " (a torn last batch: the next writer will cut it, keeping its bytes in a .broken file)" : "")
        }
    }

    /// Checks every batch: header, payload checksum, chain, sequence numbers, and — with
    /// `decompress` — that every payload decompresses (zstd checks its content checksum)
    /// into exactly the announced events.
    public static func verify(path: String, decompress: Bool = true, io: FileIO = PosixFileIO()) throws -> Report {
        let scanner = LogScanner(directory: SegmentDirectory(path: path), io: io)
        let out = try scanner.scan(depth: decompress ? .full : .checksums)
        return Report(segments: out.segments.count, batches: out.batches, events: out.events,
                      bytesOnDisk: out.compressedBytes, bytesUncompressed: out.uncompressedBytes,
                      nextSequence: out.nextSequence,
                      problem: out.damage.map { Problem(path: $0.path, offset: $0.offset, reason: $0.reason, tornTail: $0.tornTail) })
    }

    /// Rebuilds the sparse index of every segment from the segments themselves.
    public static func rebuildIndexes(path: String, io: FileIO = PosixFileIO()) throws -> Int {
        let directory = SegmentDirectory(path: path)
        var count = 0
        for first in try directory.segments() {
            let file = try SegmentFile(directory: directory, firstSequence: first, io: io)
            try SegmentIndex.rebuild(file).store(path: directory.indexPath(firstSequence: first), io: io)
            count += 1
        }
        return count
    }
}
