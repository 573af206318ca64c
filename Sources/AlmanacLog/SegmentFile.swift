import Glibc

/// One segment file opened for reading: reads and checks batch headers and payloads at
/// byte offsets. It does not decide what a bad batch means (torn tail or corruption);
/// recovery, readers and `verify` decide that from where the bad batch sits.
final class SegmentFile {
    let path: String
    let firstSequence: UInt64
    let io: FileIO
    let fd: Int32
    /// The size when opened, or when last refreshed (a writer may be appending).
    private(set) var size: Int

    init(directory: SegmentDirectory, firstSequence: UInt64, io: FileIO, writable: Bool = false) throws {
        self.path = directory.segmentPath(firstSequence: firstSequence)
        self.firstSequence = firstSequence
        self.io = io
        self.fd = try io.open(path, flags: writable ? O_RDWR : O_RDONLY, mode: 0)
        do { self.size = try io.fileSize(fd, path: path) } catch { io.close(fd); throw error }
    }

    deinit { io.close(fd) }

    func refreshSize() throws { size = try io.fileSize(fd, path: path) }

    /// What is at a byte offset where a batch should begin.
    enum HeaderRead {
        case header(BatchHeader)
        /// Fewer than a header's bytes remain before end of file (0 remaining is `.end`).
        case short(available: Int)
        case end
        case invalid(BatchHeader.Problem)
    }

    func readHeader(at offset: Int) throws -> HeaderRead {
        if offset >= size { return .end }
        var raw = (UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let n = try withUnsafeMutableBytes(of: &raw) { (buf) throws -> Int in
            try io.preadFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: buf[0..<BatchHeader.encodedBytes]),
                              at: offset, path: path)
        }
        if n < BatchHeader.encodedBytes { return n == 0 ? .end : .short(available: n) }
        let decoded = withUnsafeBytes(of: &raw) { BatchHeader.decode(UnsafeRawBufferPointer(rebasing: $0[0..<BatchHeader.encodedBytes])) }
        switch decoded {
        case .success(let h): return .header(h)
        case .failure(let p): return .invalid(p)
        }
    }

    /// Reads the compressed payload of the batch at `offset` into `buffer` (replacing its
    /// contents). Returns false when the file ends before the payload does.
    func readPayload(_ header: BatchHeader, at offset: Int, into buffer: ByteBuffer) throws -> Bool {
        buffer.removeAll()
        let length = Int(header.compressedBytes)
        var got = 0
        var failure: LogError?
        buffer.writeIntoSpare(minimum: length) { spare in
            do { got = try io.preadFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: spare[0..<length]),
                                         at: offset + BatchHeader.encodedBytes, path: path) }
            catch { failure = error as? LogError }
            return got
        }
        if let failure { throw failure }
        return got == length
    }

    /// Looks for any valid batch header strictly after `offset`. Used to tell a torn tail
    /// (nothing valid follows) from damage in the middle of a segment (something does).
    func validHeaderExists(after offset: Int) throws -> Int? {
        let chunk = 1 << 20
        var pos = offset + 1
        let buffer = ByteBuffer(capacity: chunk + BatchHeader.encodedBytes)
        while pos + BatchHeader.encodedBytes <= size {
            buffer.removeAll()
            let want = min(chunk + BatchHeader.encodedBytes, size - pos)
            var failure: LogError?
            buffer.writeIntoSpare(minimum: want) { spare in
                do { return try io.preadFully(fd, into: UnsafeMutableRawBufferPointer(rebasing: spare[0..<want]), at: pos, path: path) }
                catch { failure = error as? LogError; return 0 }
            }
            if let failure { throw failure }
            let bytes = buffer.bytes
            let limit = bytes.count - BatchHeader.encodedBytes
            var i = 0
            while i <= limit {
                // 0x5A 0x2A 0x4D 0x18 is the skippable magic, little-endian.
                if bytes[i] == 0x5A && bytes[i + 1] == 0x2A && bytes[i + 2] == 0x4D && bytes[i + 3] == 0x18 {
                    if case .success = BatchHeader.decode(UnsafeRawBufferPointer(rebasing: bytes[i..<(i + BatchHeader.encodedBytes)])) {
                        return pos + i
                    }
                }
                i += 1
            }
            if pos + want >= size { break }
            pos += chunk
        }
        return nil
    }
}
