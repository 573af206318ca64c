#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a reader's bytes come from: an open file (read in chunks, never whole) or bytes
/// already in memory (tests, small uploads).
///
/// A file source owns its descriptor and closes it when released.
public final class ByteSource {
    private enum Storage {
        case file(Int32)
        case memory([UInt8], Int)
    }

    private var storage: Storage
    /// Display name used in error messages (the last path component).
    public let displayName: String
    /// Size in bytes when known up front (regular files and memory).
    public let knownSize: Int64?

    /// Opens `path` for reading.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - displayName: the name errors show; defaults to the last path component.
    /// - Throws: `IngestError` of kind `.io` when the file cannot be opened or is not a
    ///   regular file (a FIFO or device would block or never end).
    public init(path: String, displayName: String? = nil) throws(IngestError) {
        let name = displayName ?? ByteSource.lastComponent(path)
        self.displayName = name
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            throw IngestError(.io, file: name, reason: "cannot open file: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw IngestError(.io, file: name, reason: "not a regular file")
        }
        // Regular files never block; clear O_NONBLOCK (set only so that opening a FIFO
        // cannot hang before the check above).
        _ = fcntl(fd, F_SETFL, 0)
        storage = .file(fd)
        knownSize = Int64(st.st_size)
    }

    /// A source over bytes in memory.
    public init(bytes: [UInt8], displayName: String) {
        self.displayName = displayName
        storage = .memory(bytes, 0)
        knownSize = Int64(bytes.count)
    }

    deinit {
        if case let .file(fd) = storage { close(fd) }
    }

    /// Reads up to `buffer.count` bytes; returns 0 at end of file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IngestError) -> Int {
        switch storage {
        case let .file(fd):
            while true {
                #if canImport(Glibc)
                let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
                #else
                let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
                #endif
                if n >= 0 { return n }
                if errno == EINTR { continue }
                throw IngestError(.io, file: displayName, reason: "read failed: \(String(cString: strerror(errno)))")
            }
        case .memory(let bytes, let offset):
            let n = min(buffer.count, bytes.count - offset)
            if n > 0 {
                bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            }
            storage = .memory(bytes, offset + n)
            return n
        }
    }

    /// Reads the whole source, refusing more than `maxBytes`.
    public func readAll(maxBytes: Int) throws(IngestError) -> [UInt8] {
        if let knownSize, knownSize > Int64(maxBytes) {
            throw IngestError(.fileTooLarge, file: displayName, reason: "file is \(knownSize) bytes, more than the limit of \(maxBytes)")
        }
        var out: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try read(into: chunk)
            if n == 0 { return out }
            if out.count + n > maxBytes {
                throw IngestError(.fileTooLarge, file: displayName, reason: "file is more than the limit of \(maxBytes) bytes")
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
        }
    }

    static func lastComponent(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return parts.last.map(String.init) ?? path
    }
}
