import Foundation

/// Where everything lives inside a store directory.
///
/// ```
/// <store>/
///   log/                         the event log (the only source of truth)
///   readmodel/current            name of the live read-model file
///   readmodel/rm-000001.sqlite   a read-model generation (WAL mode)
///   archive/ab/ab12…ef           accepted originals, by content hash (sha256)
///   quarantine/<time>-<hash>/    rejected files: original, errors.json, errors.txt
///   tmp/                         work in progress (renamed into place when done)
/// ```
public struct StoreLayout: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var log: String { root + "/log" }
    public var readModelDirectory: String { root + "/readmodel" }
    public var readModelPointer: String { readModelDirectory + "/current" }
    public var archive: String { root + "/archive" }
    public var quarantine: String { root + "/quarantine" }
    public var tmp: String { root + "/tmp" }

    public func readModelFile(generation: Int) -> String {
        readModelDirectory + "/" + StoreLayout.readModelName(generation: generation)
    }

    static func readModelName(generation: Int) -> String {
        let digits = String(generation)
        return "rm-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".sqlite"
    }

    /// Relative path of an archived original.
    public func archiveRelativePath(sha256: String) -> String {
        "archive/" + sha256.prefix(2) + "/" + sha256
    }

    func createDirectories() throws {
        for dir in [root, log, readModelDirectory, archive, quarantine, tmp] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
    }
}
