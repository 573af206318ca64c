import Crypto
import Foundation
import Glibc

/// A new file written through a buffer, hashed (SHA-256) and counted as it is written, and
/// fsynced when closed. Refuses to replace an existing file (`O_EXCL`).
final class HashingFileWriter {
    let path: String
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    private(set) var bytes = 0
    private var closed = false
    private static let bufferSize = 1 << 20

    init(path: String) throws {
        self.path = path
        fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ExportError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(HashingFileWriter.bufferSize)
    }

    deinit {
        if !closed { Glibc.close(fd) }
    }

    func write(_ text: String) throws {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count >= HashingFileWriter.bufferSize { try flush() }
    }

    func write(bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= HashingFileWriter.bufferSize { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in
            hasher.update(bufferPointer: raw)
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ExportError(.io, "cannot write \(path): \(String(cString: strerror(errno)))")
                }
                offset += n
            }
        }
        bytes += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, fsyncs and closes; returns the size and the hex SHA-256.
    func finish() throws -> (bytes: Int, sha256: String) {
        try flush()
        closed = true
        let synced = fsync(fd) == 0
        let reason = String(cString: strerror(errno))
        Glibc.close(fd)
        guard synced else { throw ExportError(.io, "fsync \(path) failed: \(reason)") }
        return (bytes, SnapshotFiles.hex(hasher.finalize()))
    }
}

/// File-system steps of a snapshot: the temporary directory beside the target, fsyncs,
/// the rename into place, and the removal of what a killed export left behind.
enum SnapshotFiles {
    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 and size of a whole file, read in blocks.
    static func sha256(ofFile path: String) throws -> (bytes: Int, sha256: String) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ExportError(.io, "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        var hasher = SHA256()
        var total = 0
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { block.deallocate() }
        while true {
            let n = Glibc.read(fd, block.baseAddress, block.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw ExportError(.io, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: block[0..<n]))
            total += n
        }
        return (total, hex(hasher.finalize()))
    }

    static func fsync(path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ExportError(.io, "cannot open \(path) to fsync: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(fd) }
        guard Glibc.fsync(fd) == 0 else { throw ExportError(.io, "fsync \(path) failed: \(String(cString: strerror(errno)))") }
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// `parent` and `name` of a snapshot path, refusing paths that name no new directory.
    static func split(_ path: String) throws -> (parent: String, name: String) {
        var trimmed = path
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let url = URL(fileURLWithPath: trimmed)
        let name = url.lastPathComponent
        guard !trimmed.isEmpty, !name.isEmpty, name != ".", name != "..", name != "/" else {
            throw ExportError(.badOutput, "--out '\(path)' does not name a new directory")
        }
        guard name.utf8.count <= 200 else { throw ExportError(.badOutput, "--out '\(path)': the directory name is too long") }
        let parent = trimmed.contains("/") ? url.deletingLastPathComponent().path : "."
        return (parent.isEmpty ? "/" : parent, name)
    }

    /// The temporary name of a snapshot being written: `.<name>.tmp-<pid>`.
    static func temporaryName(for name: String, pid: Int32 = getpid()) -> String { ".\(name).tmp-\(pid)" }

    /// The name a snapshot has while retention removes it: `.<name>.deleting-<pid>`.
    static func deletingName(for name: String, pid: Int32 = getpid()) -> String { ".\(name).deleting-\(pid)" }

    /// The pid in a temporary or deleting name, or nil when `name` is neither.
    static func ownerPID(ofLeftover name: String) -> Int32? {
        guard name.hasPrefix(".") else { return nil }
        for marker in [".tmp-", ".deleting-"] {
            if let range = name.range(of: marker, options: .backwards), range.lowerBound > name.index(after: name.startIndex) {
                let digits = name[range.upperBound...]
                if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let pid = Int32(digits) {
                    return pid
                }
            }
        }
        return nil
    }

    static func isAlive(_ pid: Int32) -> Bool {
        if pid == getpid() { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// Removes the temporary and half-deleted snapshot directories that exports and
    /// retention killed before they finished left in `parent`: names `.<name>.tmp-<pid>` or
    /// `.<name>.deleting-<pid>` whose process is gone. Returns the removed paths.
    @discardableResult
    static func removeLeftovers(in parent: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = ownerPID(ofLeftover: name), !isAlive(pid) else { continue }
            let path = parent + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        if !removed.isEmpty { try? fsync(path: parent) }
        return removed
    }

    /// Renames `from` to `to`, failing if `to` exists — also when it appeared after the
    /// caller's check: `renameat2(RENAME_NOREPLACE)` where libc and the file system have it
    /// (plain `rename` would silently replace an empty directory), else a check and `rename`.
    static func renameNoReplace(_ from: String, _ to: String) throws {
        let exists = ExportError(.outputExists, "output directory \(to) already exists; choose a new name")
        if let renameat2 = renameAt2 {
            if renameat2(AT_FDCWD, from, AT_FDCWD, to, 1 /* RENAME_NOREPLACE */) == 0 { return }
            let code = errno
            if code == EEXIST { throw exists }
            if code != EINVAL && code != ENOSYS && code != ENOTSUP {
                throw ExportError(.io, "cannot rename \(from) to \(to): \(String(cString: strerror(code)))")
            }
        }
        if self.exists(to) { throw exists }
        guard rename(from, to) == 0 else {
            let code = errno
            if code == EEXIST || code == ENOTEMPTY { throw exists }
            throw ExportError(.io, "cannot rename \(from) to \(to): \(String(cString: strerror(code)))")
        }
    }

    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// glibc's `renameat2` (2.28+), looked up at run time: Swift's Glibc module does not
    /// declare it.
    static let renameAt2: RenameAt2? = {
        guard let symbol = dlsym(nil, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
    }()
}
