import Foundation
import Glibc

/// Progress of long work (rebuilds, big ingests, generation): on a terminal, one line
/// redrawn in place with rate and time left; otherwise a plain line every few seconds.
/// Silent when `enabled` is false.
public final class ProgressReporter: @unchecked Sendable {
    private let label: String
    private let isTerminal: Bool
    private let enabled: Bool
    private let start = Date()
    private lazy var lastPrint = start
    private let lock = NSLock()

    public init(label: String, enabled: Bool = true) {
        self.label = label
        self.enabled = enabled
        isTerminal = isatty(STDERR_FILENO) != 0
    }

    public func report(done: Int, total: Int?, unit: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        let interval = isTerminal ? 0.2 : 5.0
        guard now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(done) / elapsed
        var line = "\(label): \(done) \(unit)"
        if let total, total > 0 {
            let pct = min(100, Double(done) * 100 / Double(total))
            line += String(format: " of %d (%.0f%%)", total, pct)
            if rate > 0, total > done { line += String(format: ", %.0f s left", Double(total - done) / rate) }
        }
        line += String(format: ", %.0f %@/s", rate, unit)
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
    }

    public func finish() {
        guard enabled, isTerminal, lastPrint != start else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
