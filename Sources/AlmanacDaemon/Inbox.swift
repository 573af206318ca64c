import Foundation
import Glibc

/// A file in an agency's inbox folder.
struct InboxFile: Sendable {
    var agency: String
    var name: String
    var path: String
    var size: Int64
    var modifiedNs: Int64
    /// When it arrived (the inode's change time: set by the rename into the folder).
    var arrivedNs: Int64
}

/// The inbox contract: `<inbox>/<agency-id>/<file>`. The folder decides the agency. A file is
/// taken once it is complete: renamed into the folder (seen by inotify), or its size and
/// modification time unchanged for `settle` seconds. Dotfiles, partial names and signature
/// files (taken with their data file) are never taken. Only regular files are taken;
/// symbolic links, FIFOs and folders inside an agency folder are reported once and left.
final class Inbox {
    let root: String
    let settle: Double
    /// Files seen renamed in (complete now).
    private var renamedIn: Set<String> = []
    /// Files first seen with this size and time, and when.
    private var sightings: [String: (size: Int64, modifiedNs: Int64, since: Double)] = [:]
    /// Things reported once (unknown agency folders, odd files).
    private var reported: Set<String> = []

    init(root: String, settle: Double) {
        self.root = root
        self.settle = settle
    }

    /// Suffixes of names still being written or not data at all.
    static let partialSuffixes = [".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".swp", ".filepart", "~", ".sig"]

    static func isIgnored(name: String) -> Bool {
        if name.hasPrefix(".") || name.hasPrefix("~$") { return true }
        let lower = name.lowercased()
        return partialSuffixes.contains { lower.hasSuffix($0) }
    }

    func noteRenamedIn(_ paths: [String]) {
        renamedIn.formUnion(paths)
    }

    struct Scan {
        var ready: [InboxFile] = []
        var waiting = 0
        /// Arrival time of the oldest file not yet taken (ready or settling), seconds since 1970.
        var oldestArrival: Double?
        /// When the next settling file may become ready.
        var nextCheck: Double?
        /// Agency folders present (to watch).
        var folders: [String] = []
        /// Things to report once: (key, message).
        var notices: [String] = []
    }

    /// Lists the inbox. `agencies` are the registered agency ids.
    func scan(agencies: Set<String>, now: Double) -> Scan {
        var scan = Scan()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else {
            notice("inbox \(root) cannot be read", into: &scan)
            return scan
        }
        var seen: Set<String> = []
        /// The earliest arrival (and path) of a file still settling.
        var firstSettling: (Int64, String)?
        func settling(_ file: InboxFile) {
            scan.waiting += 1
            let key = (file.arrivedNs, file.path)
            if let first = firstSettling, first <= key { return }
            firstSettling = key
        }
        for folder in entries.sorted() where !folder.hasPrefix(".") {
            let dir = root + "/" + folder
            var st = stat()
            guard lstat(dir, &st) == 0 else { continue }
            guard st.st_mode & S_IFMT == S_IFDIR else {
                notice("\(dir): files belong in an agency folder (<inbox>/<agency-id>/); left where it is", into: &scan)
                continue
            }
            guard agencies.contains(folder) else {
                notice("\(dir): no registered agency \"\(folder)\"; its files are left where they are (register it with `almanac agency add`)", into: &scan)
                continue
            }
            scan.folders.append(dir)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names where !Inbox.isIgnored(name: name) {
                let path = dir + "/" + name
                var fst = stat()
                guard lstat(path, &fst) == 0 else { continue }
                guard fst.st_mode & S_IFMT == S_IFREG else {
                    notice("\(path): not a regular file (symbolic links, FIFOs and folders are never taken); left where it is", into: &scan)
                    continue
                }
                seen.insert(path)
                let file = InboxFile(agency: folder, name: name, path: path, size: Int64(fst.st_size),
                                     modifiedNs: Int64(fst.st_mtim.tv_sec) * 1_000_000_000 + Int64(fst.st_mtim.tv_nsec),
                                     arrivedNs: Int64(fst.st_ctim.tv_sec) * 1_000_000_000 + Int64(fst.st_ctim.tv_nsec))
                let arrival = Double(file.arrivedNs) / 1e9
                scan.oldestArrival = min(scan.oldestArrival ?? arrival, arrival)
                if renamedIn.contains(path) || settle <= 0 {
                    scan.ready.append(file)
                    continue
                }
                if let s = sightings[path], s.size == file.size, s.modifiedNs == file.modifiedNs {
                    if now - s.since >= settle {
                        scan.ready.append(file)
                    } else {
                        settling(file)
                        scan.nextCheck = min(scan.nextCheck ?? .infinity, s.since + settle)
                    }
                } else {
                    sightings[path] = (file.size, file.modifiedNs, now)
                    settling(file)
                    scan.nextCheck = min(scan.nextCheck ?? .infinity, now + settle)
                }
            }
        }
        sightings = sightings.filter { seen.contains($0.key) }
        renamedIn = renamedIn.filter { seen.contains($0) }
        // Release order: the order in which files arrived, then by name. A file never goes
        // before one that arrived earlier and is still settling (say, found in the inbox by
        // a daemon that has just started, while a correction is renamed in beside it): the
        // correction would be applied first, then overwritten by the figures it corrects.
        scan.ready.sort { ($0.arrivedNs, $0.path) < ($1.arrivedNs, $1.path) }
        if let firstSettling {
            let held = scan.ready.drop { ($0.arrivedNs, $0.path) < firstSettling }
            scan.waiting += held.count
            scan.ready.removeLast(held.count)
        }
        return scan
    }

    /// Forgets a file once it has been claimed.
    func forget(_ path: String) {
        renamedIn.remove(path)
        sightings[path] = nil
    }

    private func notice(_ message: String, into scan: inout Scan) {
        if reported.insert(message).inserted { scan.notices.append(message) }
    }
}
