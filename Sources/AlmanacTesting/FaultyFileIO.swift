import AlmanacLog
import Foundation
import Glibc

/// A `FileIO` that behaves like the real one until a chosen call, which fails with a chosen
/// errno (ENOSPC, EIO): the N-th write, the N-th fsync. Counts start at 1 and include
/// every call of that kind made through this value.
public final class FaultyFileIO: FileIO, @unchecked Sendable {
    private let real = PosixFileIO()
    private let lock = NSLock()
    private var writes = 0
    private var fsyncs = 0
    public var failWrite: (n: Int, errno: Int32)?
    public var failFsync: (n: Int, errno: Int32)?
    /// When a write fails, write only this many of its bytes first (a short, torn write).
    public var partialBytesOnFailure = 0
    /// When set, only calls on paths with this suffix count and fail (fsync of a
    /// directory counts as the directory's path).
    public var onlyPathsWithSuffix: String?

    public init(failWrite: (n: Int, errno: Int32)? = nil, failFsync: (n: Int, errno: Int32)? = nil) {
        self.failWrite = failWrite
        self.failFsync = failFsync
    }

    public var writeCount: Int { lock.withLock { writes } }
    public var fsyncCount: Int { lock.withLock { fsyncs } }

    public func open(_ path: String, flags: Int32, mode: mode_t) throws -> Int32 {
        try real.open(path, flags: flags, mode: mode)
    }

    public func close(_ fd: Int32) { real.close(fd) }

    public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws {
        if let suffix = onlyPathsWithSuffix, !path.hasSuffix(suffix) { return try real.pwrite(fd, bytes, at: offset, path: path) }
        let n = lock.withLock { writes += 1; return writes }
        if let f = failWrite, f.n == n {
            if partialBytesOnFailure > 0 {
                try real.pwrite(fd, UnsafeRawBufferPointer(rebasing: bytes.prefix(partialBytesOnFailure)), at: offset, path: path)
            }
            throw LogError(.io, "write failed", path: path, errno: f.errno)
        }
        try real.pwrite(fd, bytes, at: offset, path: path)
    }

    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws -> Int {
        try real.pread(fd, into: buffer, at: offset, path: path)
    }

    public func fsync(_ fd: Int32, path: String) throws {
        if let suffix = onlyPathsWithSuffix, !path.hasSuffix(suffix) { return try real.fsync(fd, path: path) }
        let n = lock.withLock { fsyncs += 1; return fsyncs }
        if let f = failFsync, f.n == n { throw LogError(.io, "fsync failed", path: path, errno: f.errno) }
        try real.fsync(fd, path: path)
    }

    public func ftruncate(_ fd: Int32, to length: Int, path: String) throws {
        try real.ftruncate(fd, to: length, path: path)
    }

    public func fileSize(_ fd: Int32, path: String) throws -> Int { try real.fileSize(fd, path: path) }
}
