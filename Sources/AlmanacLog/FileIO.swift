import Glibc

/// The seam between the log and the operating system: every file call the log makes goes
/// through this protocol, so tests can inject ENOSPC or EIO on the N-th write or fsync.
///
/// Implementations return `errno`-style failures as `LogError` of kind `.io`. `write`
/// writes the whole buffer or fails; it never reports a short write as success.
public protocol FileIO: Sendable {
    func open(_ path: String, flags: Int32, mode: mode_t) throws -> Int32
    func close(_ fd: Int32)
    /// Writes all of `bytes` at `offset`.
    func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws
    /// Reads up to `buffer.count` bytes at `offset`; returns the number read (0 at end of file).
    func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws -> Int
    func fsync(_ fd: Int32, path: String) throws
    func ftruncate(_ fd: Int32, to length: Int, path: String) throws
    func fileSize(_ fd: Int32, path: String) throws -> Int
}

extension FileIO {
    /// Reads exactly `buffer.count` bytes or returns how many there were before end of file.
    public func preadFully(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws -> Int {
        var done = 0
        while done < buffer.count {
            let n = try pread(fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + done, path: path)
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Opens a directory and fsyncs it, so that a file created or renamed in it survives a crash.
    public func fsyncDirectory(_ path: String) throws {
        let fd = try open(path, flags: O_RDONLY | O_DIRECTORY, mode: 0)
        defer { close(fd) }
        try fsync(fd, path: path)
    }
}

/// The real thing: POSIX calls, retried on EINTR.
public struct PosixFileIO: FileIO {
    public init() {}

    public func open(_ path: String, flags: Int32, mode: mode_t) throws -> Int32 {
        while true {
            let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw LogError.io("open", path: path, errno: errno)
        }
    }

    public func close(_ fd: Int32) { _ = Glibc.close(fd) }

    public func pwrite(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int, path: String) throws {
        var done = 0
        while done < bytes.count {
            let n = Glibc.pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw LogError.io("write", path: path, errno: errno)
            }
            done += n
        }
    }

    public func pread(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int, path: String) throws -> Int {
        while true {
            let n = Glibc.pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw LogError.io("read", path: path, errno: errno)
        }
    }

    public func fsync(_ fd: Int32, path: String) throws {
        // Never retried: after a failed fsync the kernel may have dropped the dirty pages,
        // and a second fsync can report success for data that is gone (the PostgreSQL lesson).
        if Glibc.fsync(fd) != 0 { throw LogError.io("fsync", path: path, errno: errno) }
    }

    public func ftruncate(_ fd: Int32, to length: Int, path: String) throws {
        while Glibc.ftruncate(fd, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw LogError.io("truncate", path: path, errno: errno)
        }
    }

    public func fileSize(_ fd: Int32, path: String) throws -> Int {
        var st = stat()
        if fstat(fd, &st) != 0 { throw LogError.io("stat", path: path, errno: errno) }
        return Int(st.st_size)
    }
}
