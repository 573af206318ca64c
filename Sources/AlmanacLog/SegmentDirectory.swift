import Glibc

/// The files of a log directory: segments named by their first sequence number, each with
/// an optional sparse index beside it.
///
/// ```
/// log/
///   LOCK                          writer lock (flock) holding the writer's pid
///   00000000000000000001.zst      first sequence 1
///   00000000000000000001.idx      its sparse index (a hint, rebuildable)
///   00000000000000052311.zst      first sequence 52311
/// ```
public struct SegmentDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// Digits in a segment's name: enough for any UInt64, so names sort as numbers.
    static let nameDigits = 20

    public static func segmentName(firstSequence: UInt64) -> String {
        let digits = String(firstSequence)
        return String(repeating: "0", count: nameDigits - digits.count) + digits + ".zst"
    }

    public func segmentPath(firstSequence: UInt64) -> String {
        path + "/" + SegmentDirectory.segmentName(firstSequence: firstSequence)
    }

    public func indexPath(firstSequence: UInt64) -> String {
        let name = SegmentDirectory.segmentName(firstSequence: firstSequence)
        return path + "/" + name.dropLast(4) + ".idx"
    }

    public var lockPath: String { path + "/LOCK" }

    /// First sequence numbers of the segments present, ascending.
    public func segments() throws -> [UInt64] {
        guard let dir = opendir(path) else {
            if errno == ENOENT { throw LogError(.notFound, "no log directory", path: path) }
            throw LogError.io("opendir", path: path, errno: errno)
        }
        defer { closedir(dir) }
        var result: [UInt64] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasSuffix(".zst"), name.utf8.count == SegmentDirectory.nameDigits + 4,
                  let seq = UInt64(name.dropLast(4)), seq > 0 else { continue }
            result.append(seq)
        }
        return result.sorted()
    }

    /// Creates the directory (and its parents) if missing.
    public func create() throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw LogError.io("mkdir", path: current, errno: errno)
            }
        }
    }
}
