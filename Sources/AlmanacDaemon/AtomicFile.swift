import Foundation
import Glibc

/// Small state files (status, claims, outcomes) written so that a crash leaves either the
/// old or the new content: a temporary file beside the target, fsync, rename, fsync of the folder.
///
/// Files that only cache what the log already records (a claim's outcome, the status
/// counters) are written with `durable: false`: still whole-or-nothing for a killed
/// process (write, then rename), but not forced to disk, so a power cut may take back the
/// last few; their readers fall back to the log (outcomes) or accept the lag (status).
enum AtomicFile {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func write(_ bytes: [UInt8], to path: String, durable: Bool = true) throws {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Failure(description: "\(tmp): cannot create: \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let w = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if w < 0 {
                if errno == EINTR { continue }
                let message = String(cString: strerror(errno))
                close(fd); unlink(tmp)
                throw Failure(description: "\(tmp): write failed: \(message)")
            }
            written += w
        }
        guard !durable || fsync(fd) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd); unlink(tmp)
            throw Failure(description: "\(tmp): fsync failed: \(message)")
        }
        close(fd)
        guard rename(tmp, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(tmp)
            throw Failure(description: "\(path): rename failed: \(message)")
        }
        if durable { try syncDirectory((path as NSString).deletingLastPathComponent) }
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "\(path): cannot open folder: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw Failure(description: "\(path): fsync failed: \(String(cString: strerror(errno)))") }
    }

    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }
}
