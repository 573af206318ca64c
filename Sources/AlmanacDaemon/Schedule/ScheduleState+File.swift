import Foundation
import Glibc

/// Atomic replacement of the state file: write a temporary file beside it, fsync it, rename
/// it over the old one, fsync the folder. A crash at any point leaves the old file or the
/// new one; a failure leaves the old one and no temporary file.
extension ScheduleState {
    static func replace(_ path: String, with bytes: [UInt8]) throws(ScheduleStateError) {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path, "cannot create \(tmp)") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = failure(path, "cannot write \(tmp)")
                close(fd)
                unlink(tmp)
                throw error
            }
            written += n
        }
        guard fsync(fd) == 0 else {
            let error = failure(path, "cannot fsync \(tmp)")
            close(fd)
            unlink(tmp)
            throw error
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            let error = failure(path, "cannot rename \(tmp) into place")
            unlink(tmp)
            throw error
        }
        try syncFolder(of: path)
    }

    /// fsyncs the folder `path` is in, so that a file created or renamed there survives a crash.
    static func syncFolder(of path: String) throws(ScheduleStateError) {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path, "cannot open the folder \(folder)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw failure(path, "cannot fsync the folder \(folder)") }
    }

    /// An error for `path` with `what` went wrong and the system's reason (from `errno`).
    private static func failure(_ path: String, _ what: String) -> ScheduleStateError {
        ScheduleStateError(path: path, reason: "cannot save: \(what): \(String(cString: strerror(errno)))")
    }
}
