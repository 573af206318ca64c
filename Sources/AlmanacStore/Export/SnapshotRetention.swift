import Foundation
import Glibc

/// Retention of scheduled snapshots: keep the newest N.
public enum SnapshotRetention {
    /// Keeps the `keep` newest snapshot directories under `root` whose name starts with
    /// `prefix`, and removes the others. Returns the paths of the removed ones, oldest first.
    ///
    /// - A snapshot is a directory with a readable `manifest.json`; anything else under
    ///   `root` (files, directories without a manifest, temporary directories of exports in
    ///   progress, which start with `.`) is neither counted nor touched.
    /// - Newest means the latest manifest `createdAt`, then the greatest name.
    /// - Each removal first renames the snapshot to `.<name>.deleting-<pid>` (and fsyncs
    ///   `root`), so a kill half-way never leaves a partial snapshot under a snapshot's name;
    ///   the next export or prune into `root` finishes the removal.
    /// - Throws: ``ExportError`` when `keep` is negative or a snapshot cannot be renamed.
    @discardableResult
    public static func prune(root: String, prefix: String, keep: Int) throws -> [String] {
        guard keep >= 0 else { throw ExportError(.badOutput, "retention must keep 0 or more snapshots (got \(keep))") }
        SnapshotFiles.removeLeftovers(in: root)
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: root)
        } catch {
            throw ExportError(.io, "cannot list \(root): \(error.localizedDescription)")
        }
        var snapshots: [(name: String, createdAt: String)] = []
        for name in names where name.hasPrefix(prefix) && !name.hasPrefix(".") {
            let path = root + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR,
                  let manifest = try? ExportManifest.read(directory: path) else { continue }
            snapshots.append((name, manifest.createdAt))
        }
        snapshots.sort { ($0.createdAt, $0.name) > ($1.createdAt, $1.name) }
        return try remove(root: root, names: snapshots.dropFirst(keep).reversed().map(\.name))
    }

    /// Removes the named snapshots under `root` (names, not paths), each renamed first to
    /// `.<name>.deleting-<pid>` and `root` fsynced, so a kill half-way never leaves a partial
    /// snapshot under a snapshot's name. Returns the removed paths.
    @discardableResult
    public static func remove(root: String, names: [String]) throws -> [String] {
        var removed: [String] = []
        for name in names where !name.isEmpty && !name.contains("/") && !name.hasPrefix(".") {
            let path = root + "/" + name
            let deleting = root + "/" + SnapshotFiles.deletingName(for: name)
            guard rename(path, deleting) == 0 else {
                throw ExportError(.io, "cannot remove snapshot \(path): \(String(cString: strerror(errno)))")
            }
            try SnapshotFiles.fsync(path: root)
            try? FileManager.default.removeItem(atPath: deleting)
            removed.append(path)
        }
        return removed
    }
}
