/// The header of one batch, carried in a zstd skippable frame in front of the batch's
/// compressed payload. `events/FORMAT.md` documents every byte.
///
/// A header is valid when its magic, version and `headerCRC` check out. It does not by
/// itself prove the payload is whole: that needs `payloadCRC` over the compressed bytes.
public struct BatchHeader: Sendable, Equatable {
    /// Skippable-frame magic number (zstd reserves 0x184D2A50 ... 0x184D2A5F).
    public static let skippableMagic: UInt32 = 0x184D_2A5A
    /// The number of bytes of user data in the skippable frame.
    public static let userDataBytes = 48
    /// The whole skippable frame: magic, size, user data.
    public static let encodedBytes = 8 + userDataBytes
    /// "ALMB" in file order.
    public static let batchMagic: [UInt8] = Array("ALMB".utf8)
    /// The format version this code writes. Every version ever written stays readable.
    public static let currentVersion: UInt16 = 1
    /// Batches larger than this are refused on write and treated as corrupt on read.
    public static let uncompressedBytesMax = 512 * 1024 * 1024
    public static let eventsMax = 10_000_000

    /// Flag bit 0: every line of the batch is in the writer's canonical layout
    /// (`seq`, `type`, `v`, `time`, `data` in that order, `data` last, no other fields), so
    /// readers may slice `data` without scanning it. A writer that emits other layouts
    /// must leave it clear.
    public static let flagCanonicalLines: UInt16 = 1

    public var version: UInt16 = BatchHeader.currentVersion
    public var flags: UInt16 = 0
    /// Sequence number of the first event of the batch; the others follow without gaps.
    public var firstSequence: UInt64
    public var count: UInt32
    /// Bytes of the zstd frame that follows the header.
    public var compressedBytes: UInt32
    /// Bytes of JSON Lines inside that frame.
    public var uncompressedBytes: UInt32
    /// When the writer appended the batch, milliseconds since 1970-01-01T00:00:00Z.
    public var recordedAtMs: Int64
    /// CRC-32C of the compressed zstd frame.
    public var payloadCRC: UInt32
    /// `headerCRC` of the batch before this one in the log (0 for the very first batch).
    public var previousCRC: UInt32
    /// CRC-32C of the 52 bytes before it (skippable magic through `previousCRC`).
    public private(set) var headerCRC: UInt32 = 0

    public init(firstSequence: UInt64, count: UInt32, compressedBytes: UInt32, uncompressedBytes: UInt32,
                recordedAtMs: Int64, payloadCRC: UInt32, previousCRC: UInt32) {
        self.firstSequence = firstSequence
        self.count = count
        self.compressedBytes = compressedBytes
        self.uncompressedBytes = uncompressedBytes
        self.recordedAtMs = recordedAtMs
        self.payloadCRC = payloadCRC
        self.previousCRC = previousCRC
        self.headerCRC = 0
    }

    /// The sequence number after the last event of this batch.
    public var nextSequence: UInt64 { firstSequence + UInt64(count) }
    /// Bytes on disk of the whole batch: header frame and payload frame.
    public var totalBytes: Int { BatchHeader.encodedBytes + Int(compressedBytes) }

    /// Encodes the header, computing `headerCRC`.
    public mutating func encode() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(BatchHeader.encodedBytes)
        out.appendLE(BatchHeader.skippableMagic)
        out.appendLE(UInt32(BatchHeader.userDataBytes))
        out.append(contentsOf: BatchHeader.batchMagic)
        out.appendLE(version)
        out.appendLE(flags)
        out.appendLE(firstSequence)
        out.appendLE(count)
        out.appendLE(compressedBytes)
        out.appendLE(uncompressedBytes)
        out.appendLE(UInt64(bitPattern: recordedAtMs))
        out.appendLE(payloadCRC)
        out.appendLE(previousCRC)
        headerCRC = CRC32C.checksum(out)
        out.appendLE(headerCRC)
        return out
    }

    /// Why a run of bytes is not a valid header.
    public enum Problem: Error, Equatable, Sendable {
        case short
        case notASkippableFrame
        case badMagic
        case badChecksum
        case unsupportedVersion(UInt16)
        case implausible(String)
    }

    /// Decodes and checks a header from the first `encodedBytes` of `bytes`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<BatchHeader, Problem> {
        guard bytes.count >= encodedBytes else { return .failure(.short) }
        func u16(_ o: Int) -> UInt16 { bytes.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian }
        func u32(_ o: Int) -> UInt32 { bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian }
        func u64(_ o: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self).littleEndian }
        guard u32(0) == skippableMagic, u32(4) == UInt32(userDataBytes) else { return .failure(.notASkippableFrame) }
        guard bytes[8] == batchMagic[0], bytes[9] == batchMagic[1], bytes[10] == batchMagic[2], bytes[11] == batchMagic[3]
        else { return .failure(.badMagic) }
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<52]))
        guard crc == u32(52) else { return .failure(.badChecksum) }
        let version = u16(12)
        guard version == 1 else { return .failure(.unsupportedVersion(version)) }
        var h = BatchHeader(firstSequence: u64(16), count: u32(24), compressedBytes: u32(28),
                            uncompressedBytes: u32(32), recordedAtMs: Int64(bitPattern: u64(36)),
                            payloadCRC: u32(44), previousCRC: u32(48))
        h.version = version
        h.flags = u16(14)
        h.headerCRC = crc
        guard h.count > 0, h.count <= eventsMax else { return .failure(.implausible("event count \(h.count)")) }
        guard h.firstSequence > 0 else { return .failure(.implausible("first sequence 0")) }
        guard Int(h.uncompressedBytes) <= uncompressedBytesMax else {
            return .failure(.implausible("uncompressed size \(h.uncompressedBytes)"))
        }
        return .success(h)
    }

    public static func decode(_ bytes: [UInt8]) -> Result<BatchHeader, Problem> {
        bytes.withUnsafeBytes { decode($0) }
    }
}

extension BatchHeader.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .short: return "header is cut short"
        case .notASkippableFrame: return "no batch header (not an Almanac skippable frame)"
        case .badMagic: return "batch header magic is not ALMB"
        case .badChecksum: return "batch header checksum mismatch"
        case .unsupportedVersion(let v): return "batch format version \(v) is not supported by this build"
        case .implausible(let what): return "batch header is implausible (\(what))"
        }
    }
}

extension Array where Element == UInt8 {
    @inlinable mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
