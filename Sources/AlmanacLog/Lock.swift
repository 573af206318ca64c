import Glibc

/// A plain mutex, for the few places that own mutable state shared between threads.
final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// The writer lock of a log directory: an exclusive `flock` on `LOCK`, which holds the
/// owner's pid as text. The kernel releases it when the process dies, however it dies.
final class WriterLock {
    let fd: Int32
    let path: String

    init(path: String, io: FileIO) throws {
        self.path = path
        let fd = try io.open(path, flags: O_RDWR | O_CREAT, mode: 0o644)
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let err = errno
            var buf = [UInt8](repeating: 0, count: 32)
            let n = buf.withUnsafeMutableBytes { Glibc.pread(fd, $0.baseAddress, 31, 0) }
            io.close(fd)
            if err == EWOULDBLOCK {
                let text = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self).trimmingSpace() : ""
                let pid = Int32(text)
                let holder = pid.map { "process \($0)" } ?? "another process"
                throw LogError(.locked(pid: pid), "the log is locked for writing by \(holder) (lock file \(path))")
            }
            throw LogError.io("flock", path: path, errno: err)
        }
        self.fd = fd
        let pid = Array("\(getpid())\n".utf8)
        _ = Glibc.ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        _ = flock(fd, LOCK_UN)
        _ = Glibc.close(fd)
    }
}

extension String {
    func trimmingSpace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// A mutex with a condition variable, for the writer's background fsync.
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let cond = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(cond, nil)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        cond.deallocate()
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits for a broadcast; call with the lock held (inside `withLock`).
    func wait() { pthread_cond_wait(cond, mutex) }

    func broadcast() { pthread_cond_broadcast(cond) }
}
