import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is
/// released (unless `ALMANAC_KEEP_TEMP` is set, to look at what a failing test left).
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "almanac") {
        let base = FileManager.default.temporaryDirectory.path
        var template = Array("\(base)/\(label)-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(String(cString: strerror(errno)))")
        path = String(cString: made!)
    }

    deinit {
        if ProcessInfo.processInfo.environment["ALMANAC_KEEP_TEMP"] == nil {
            try? FileManager.default.removeItem(atPath: path)
        }
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }
}

/// A clock that returns a fixed time and moves only when told to.
public final class FixedClock: @unchecked Sendable {
    private let lock = NSLock()
    private var ms: Int64

    public init(_ iso: String = "2021-07-12T08:00:00.000Z") {
        ms = FixedClock.parse(iso)
    }

    public func now() -> Int64 { lock.withLock { ms } }

    public func advance(seconds: Int64) { lock.withLock { ms += seconds * 1000 } }

    public func set(_ iso: String) { lock.withLock { ms = FixedClock.parse(iso) } }

    static func parse(_ iso: String) -> Int64 {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = f.date(from: iso) ?? ISO8601DateFormatter().date(from: iso)!
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }
}
