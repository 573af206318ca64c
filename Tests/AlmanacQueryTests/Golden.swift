import Foundation
import Testing

/// Golden files under `Golden/`, next to this file.
///
/// `ALMANAC_RECORD_GOLDEN=1 swift test …` rewrites them from the current output; review the
/// diff before committing. Without it, a missing or different file fails the test.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static var recording: Bool { ProcessInfo.processInfo.environment["ALMANAC_RECORD_GOLDEN"] == "1" }

    /// Compares `actual` with `Golden/<path>` (a final newline is added to the file).
    static func check(_ actual: String, against path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = directory.appendingPathComponent(path)
        let contents = actual + "\n"
        if recording {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            #expect(throws: Never.self, sourceLocation: sourceLocation) { try contents.write(to: url, atomically: true, encoding: .utf8) }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden file \(path); run with ALMANAC_RECORD_GOLDEN=1 to create it", sourceLocation: sourceLocation)
            return
        }
        #expect(contents == expected, "golden \(path) differs", sourceLocation: sourceLocation)
    }
}
