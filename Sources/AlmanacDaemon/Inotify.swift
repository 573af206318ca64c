import Glibc

/// Waits for something to happen in the inbox: inotify events on the inbox and each agency
/// folder, a wake-up from another thread (a stop request), or a timeout (the polling
/// fallback, which also covers file systems where inotify says nothing, such as NFS).
final class InboxWatcher {
    private var inotify: Int32 = -1
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    private var watches: [Int32: String] = [:]
    private var watchedPaths: Set<String> = []
    /// True when inotify is working; false means polling only.
    private(set) var usingInotify = false

    init() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            wakeRead = fds[0]; wakeWrite = fds[1]
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        inotify = inotify_init1(Int32(IN_NONBLOCK) | Int32(IN_CLOEXEC))
        usingInotify = inotify >= 0
    }

    deinit {
        for fd in [inotify, wakeRead, wakeWrite] where fd >= 0 { close(fd) }
    }

    /// Watches `path` for files renamed or written in, and folders created (idempotent).
    func watch(_ path: String) {
        guard inotify >= 0, !watchedPaths.contains(path) else { return }
        let mask = UInt32(IN_MOVED_TO) | UInt32(IN_CLOSE_WRITE) | UInt32(IN_CREATE) | UInt32(IN_ATTRIB)
            | UInt32(IN_DELETE_SELF) | UInt32(IN_MOVE_SELF) | UInt32(IN_ONLYDIR)
        let wd = inotify_add_watch(inotify, path, mask)
        if wd >= 0 {
            watches[wd] = path
            watchedPaths.insert(path)
        }
    }

    /// Wakes a thread blocked in `wait` (safe from any thread and from signal handlers).
    func wake() {
        guard wakeWrite >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Blocks up to `timeoutMs`; returns the paths of files renamed into a watched folder
    /// (complete by the inbox contract) and whether anything else happened.
    func wait(timeoutMs: Int32) -> (movedIn: [String], activity: Bool) {
        var fds = [pollfd(fd: inotify, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let n = poll(&fds, nfds_t(fds.count), max(0, timeoutMs))
        guard n > 0 else { return ([], false) }
        var moved: [String] = []
        if fds[1].revents != 0 { drain(wakeRead) }
        if fds[0].revents != 0 { moved = readEvents() }
        return (moved, true)
    }

    private func drain(_ fd: Int32) {
        var buf = [UInt8](repeating: 0, count: 256)
        while read(fd, &buf, buf.count) > 0 {}
    }

    private func readEvents() -> [String] {
        var moved: [String] = []
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = read(inotify, buffer, size)
            if n <= 0 { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let wd = buffer.load(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let len = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                let nameStart = offset + MemoryLayout<inotify_event>.size
                var name = ""
                if len > 0 {
                    let bytes = UnsafeRawBufferPointer(start: buffer + nameStart, count: len)
                    name = String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if mask & UInt32(IN_IGNORED) != 0, let path = watches.removeValue(forKey: wd) {
                    watchedPaths.remove(path)
                } else if mask & UInt32(IN_MOVED_TO) != 0, let dir = watches[wd], !name.isEmpty {
                    moved.append(dir + "/" + name)
                }
                offset = nameStart + len
            }
        }
        return moved
    }
}
