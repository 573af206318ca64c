import AlmanacIngest
import AlmanacLog
import Crypto
import Foundation
import Glibc

/// Copying agency files in, archiving accepted originals and quarantining rejected ones.
/// Nothing an agency sent is ever deleted: an accepted original lives on under its hash,
/// a rejected one in its quarantine folder, byte for byte.
extension Store {
    /// Largest file accepted (a limit on everything; checked before reading).
    public static let fileBytesMax = 4 << 30

    /// Copies `path` into the store's tmp folder, computing its SHA-256 on the way.
    /// Refuses anything but a regular file (symlinks, FIFOs, devices, directories).
    func copyIn(_ path: String) throws -> (copy: String, sha256: String, bytes: Int) {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            throw StoreError(.io, "\(path): cannot read: \(String(cString: strerror(errno)))")
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw StoreError(.badArgument, "\(path): is a symbolic link; give the file itself")
        case S_IFIFO: throw StoreError(.badArgument, "\(path): is a FIFO, not a file")
        case S_IFDIR: throw StoreError(.badArgument, "\(path): is a directory, not a file")
        default: throw StoreError(.badArgument, "\(path): is not a regular file")
        }
        guard Int(st.st_size) <= Store.fileBytesMax else {
            throw StoreError(.badArgument, "\(path): \(st.st_size) bytes is over the limit of \(Store.fileBytesMax) bytes")
        }
        let input = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard input >= 0 else { throw StoreError(.io, "\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(input) }
        let copy = layout.tmp + "/incoming-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).part"
        let output = Glibc.open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw StoreError(.io, "\(copy): cannot create: \(String(cString: strerror(errno)))") }
        var hasher = SHA256()
        var total = 0
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        do {
            while true {
                let n = Glibc.read(input, buffer, chunk)
                if n < 0 { if errno == EINTR { continue }; throw StoreError(.io, "\(path): read failed: \(String(cString: strerror(errno)))") }
                if n == 0 { break }
                total += n
                guard total <= Store.fileBytesMax else { throw StoreError(.badArgument, "\(path): grew past \(Store.fileBytesMax) bytes while being read") }
                hasher.update(bufferPointer: UnsafeRawBufferPointer(start: buffer, count: n))
                var written = 0
                while written < n {
                    let w = Glibc.write(output, buffer + written, n - written)
                    if w < 0 { if errno == EINTR { continue }; throw StoreError(.io, "\(copy): write failed: \(String(cString: strerror(errno)))") }
                    written += w
                }
            }
            guard fsync(output) == 0 else { throw StoreError(.io, "\(copy): fsync failed: \(String(cString: strerror(errno)))") }
        } catch {
            Glibc.close(output)
            unlink(copy)
            throw error
        }
        Glibc.close(output)
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return (copy, digest, total)
    }

    /// Removes private copies left by ingests that were killed (their process is gone).
    /// Called with the writer lock held, so no live ingest of this store is copying.
    func removeAbandonedCopies() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.tmp) else { return }
        for name in names where name.hasPrefix("incoming-") && name.hasSuffix(".part") {
            let parts = name.split(separator: "-")
            if parts.count >= 3, let pid = Int32(parts[1]), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                unlink(layout.tmp + "/" + name)
            }
        }
    }

    /// Moves the private copy to `archive/<ab>/<sha256>` (kept if already there: same bytes).
    func archiveOriginal(copy: String, sha256: String) throws -> String {
        let relative = layout.archiveRelativePath(sha256: sha256)
        let target = layout.root + "/" + relative
        let dir = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if access(target, F_OK) != 0 {
            guard link(copy, target) == 0 || errno == EEXIST else {
                throw StoreError(.io, "cannot archive to \(target): \(String(cString: strerror(errno)))")
            }
            try ReadModel.fsyncFile(dir)
        }
        return relative
    }

    /// Moves the private copy into a new quarantine folder with the error reports.
    ///
    /// A file the ingest daemon claimed gets the folder `quarantine/<claim>`: a daemon killed
    /// after creating it but before the rejection reached the log finds it again on retry and
    /// replaces it, so each file is quarantined exactly once.
    func quarantine(copy: String, display: String, sha256: String, agency: String, issues: [ValidationIssue],
                    issueCount: Int, format: String, claim: String? = nil) throws -> String {
        let stamp = Timestamp.iso8601(ms: clock()).replacingOccurrences(of: ":", with: "")
        var relative = "quarantine/\(stamp)-\(agency)-\(sha256.prefix(12))"
        if let claim {
            relative = "quarantine/" + claim
            if access(layout.root + "/" + relative, F_OK) == 0 {
                try FileManager.default.removeItem(atPath: layout.root + "/" + relative)
            }
        }
        var n = 1
        while access(layout.root + "/" + relative, F_OK) == 0 { n += 1; relative = "quarantine/\(stamp)-\(agency)-\(sha256.prefix(12))-\(n)" }
        let folder = layout.root + "/" + relative
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard rename(copy, folder + "/original") == 0 else {
            throw StoreError(.io, "cannot quarantine \(display): \(String(cString: strerror(errno)))")
        }
        let result = ValidationResultSummary(file: display, sha256: sha256, agency: agency, format: format, issues: issues, issueCount: issueCount)
        try result.json().write(toFile: folder + "/errors.json", atomically: true, encoding: .utf8)
        try result.text().write(toFile: folder + "/errors.txt", atomically: true, encoding: .utf8)
        try ReadModel.fsyncFile(folder)
        try ReadModel.fsyncFile(layout.quarantine)
        return relative
    }
}

/// The two error reports kept beside a quarantined original.
struct ValidationResultSummary: Encodable {
    var file: String
    var sha256: String
    var agency: String
    var format: String
    var issues: [ValidationIssue]
    var issueCount: Int

    enum CodingKeys: String, CodingKey { case file, sha256, agency, format, issues, issueCount = "issue_count" }

    func json() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(self), as: UTF8.self) + "\n"
    }

    func text() -> String {
        var lines = ["\(file): rejected with \(issueCount) problem\(issueCount == 1 ? "" : "s") (agency \(agency), sha256 \(sha256))"]
        lines += issues.map(\.description)
        if issueCount > issues.count { lines.append("… and \(issueCount - issues.count) more") }
        return lines.joined(separator: "\n") + "\n"
    }
}
