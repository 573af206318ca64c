import AlmanacLog
import AlmanacTesting
import Foundation
import Testing

/// Torn tails, bit flips and zeroed sectors: damage at the tail is cut (and kept), damage
/// before it refuses to open, naming file and offset.
@Suite struct RecoveryTests {
    /// A one-segment log of `batches` batches; returns its path and each batch's byte range.
    static func makeLog(_ dir: TemporaryDirectory, batches: Int = 6) throws -> (path: String, segment: String, ranges: [Range<Int>]) {
        let path = dir.file("log")
        let w = try LogWriter(path: path, options: testOptions())
        var ranges: [Range<Int>] = []
        var offset = 0
        for r in try fill(w, batches: batches, perBatch: 4, size: 60) {
            ranges.append(offset..<(offset + r.bytes))
            offset += r.bytes
        }
        try w.close()
        return (path, segmentFiles(path)[0], ranges)
    }

    @Test func lastBatchCutAtEveryByteRecoversToTheBatchBefore() throws {
        let dir = TemporaryDirectory()
        let (path, segment, ranges) = try Self.makeLog(dir)
        let original = try Data(contentsOf: URL(fileURLWithPath: segment))
        let last = ranges.last!
        let work = dir.file("work")
        var checked = 0
        for cut in last.lowerBound..<last.upperBound {
            try copyDirectory(path, work)
            try original.prefix(cut).write(to: URL(fileURLWithPath: work + "/" + (segment as NSString).lastPathComponent))
            let w = try LogWriter(path: work, options: testOptions())
            #expect(w.nextSequence == UInt64(4 * (ranges.count - 1) + 1))
            if cut == last.lowerBound {
                #expect(w.recovery.truncation == nil)
            } else {
                let t = try #require(w.recovery.truncation)
                #expect(t.offset == last.lowerBound)
                #expect(t.bytes == cut - last.lowerBound)
                // The cut bytes are kept, byte for byte.
                #expect(try Data(contentsOf: URL(fileURLWithPath: t.brokenPath)) == original[last.lowerBound..<cut])
            }
            // The log goes on from there, and reads back whole.
            try fill(w, batches: 1)
            try w.close()
            #expect(try readAll(work).map(\.sequence) == Array(1...UInt64(4 * ranges.count + 1)))
            checked += 1
        }
        #expect(checked == last.count)
    }

    @Test func thousandsOfSingleBitFlipsAreAllDetected() throws {
        let dir = TemporaryDirectory()
        let (path, segment, ranges) = try Self.makeLog(dir, batches: 8)
        let name = (segment as NSString).lastPathComponent
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        var rng = SystemRandomNumberGenerator()
        let work = dir.file("work")
        var truncated = 0, refused = 0
        for _ in 0..<1_200 {
            let bit = Int.random(in: 0..<(original.count * 8), using: &rng)
            var bytes = original
            bytes[bit / 8] ^= UInt8(1 << (bit % 8))
            try copyDirectory(path, work)
            try Data(bytes).write(to: URL(fileURLWithPath: work + "/" + name))
            let hit = ranges.firstIndex { $0.contains(bit / 8) }!
            // `verify` always finds it, at the start of the damaged batch.
            let report = try LogInspector.verify(path: work)
            let problem = try #require(report.problem, "flip of bit \(bit) not detected by verify")
            #expect(problem.offset == ranges[hit].lowerBound)
            #expect(problem.path.hasSuffix(name))
            if hit == ranges.count - 1 {
                let w = try LogWriter(path: work, options: testOptions())
                #expect(w.recovery.truncation?.offset == ranges[hit].lowerBound)
                #expect(w.nextSequence == UInt64(4 * hit + 1))
                truncated += 1
            } else {
                do {
                    _ = try LogWriter(path: work, options: testOptions())
                    Issue.record("bit \(bit) flipped in batch \(hit) of \(ranges.count) but the log opened")
                } catch let e as LogError {
                    #expect(e.kind == .corrupt)
                    #expect(e.offset == ranges[hit].lowerBound)
                    #expect(e.description.contains(name) && e.description.contains("at byte \(ranges[hit].lowerBound)"))
                }
                refused += 1
            }
        }
        #expect(truncated + refused == 1_200)
        #expect(truncated > 0 && refused > 0)
    }

    @Test(arguments: [512, 4096])
    func zeroedSectors(sector: Int) throws {
        let dir = TemporaryDirectory()
        let (path, segment, ranges) = try Self.makeLog(dir, batches: 40)
        let name = (segment as NSString).lastPathComponent
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segment)))
        let work = dir.file("work")
        for start in stride(from: 0, to: original.count, by: sector) {
            var bytes = original
            for i in start..<min(start + sector, bytes.count) { bytes[i] = 0 }
            if bytes == original { continue }
            try copyDirectory(path, work)
            try Data(bytes).write(to: URL(fileURLWithPath: work + "/" + name))
            let firstHit = ranges.firstIndex { $0.upperBound > start && bytes[$0] != original[$0] }!
            // Torn tail exactly when no intact batch header follows the first damaged batch.
            let intactHeaderAfter = ranges[(firstHit + 1)...].contains { r in
                bytes[r.lowerBound..<(r.lowerBound + BatchHeader.encodedBytes)] == original[r.lowerBound..<(r.lowerBound + BatchHeader.encodedBytes)]
            }
            #expect(try LogInspector.verify(path: work).problem?.offset == ranges[firstHit].lowerBound)
            if intactHeaderAfter {
                #expect(throws: LogError.self, "sector at \(start) zeroed") { _ = try LogWriter(path: work, options: testOptions()) }
            } else {
                let w = try LogWriter(path: work, options: testOptions())
                #expect(w.recovery.truncation?.offset == ranges[firstHit].lowerBound)
                #expect(w.nextSequence == UInt64(4 * firstHit + 1))
            }
        }
    }

    @Test func damageInAnEarlierSegmentRefusesToOpen() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("log")
        let w = try LogWriter(path: path, options: testOptions(segmentBytes: 2048))
        try fill(w, batches: 30, perBatch: 2, size: 200)
        try w.close()
        let segments = segmentFiles(path)
        #expect(segments.count >= 3)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: segments[1])))
        bytes[bytes.count - 3] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: segments[1]))
        #expect { _ = try LogWriter(path: path, options: testOptions()) } throws: { error in
            (error as? LogError)?.kind == .corrupt && (error as? LogError)?.path == segments[1]
        }
        // A reader also refuses to read past it.
        #expect(throws: LogError.self) { _ = try readAll(path) }
        // A missing segment in the middle is corruption too.
        try FileManager.default.removeItem(atPath: segments[1])
        #expect(throws: LogError.self) { _ = try LogWriter(path: path, options: testOptions()) }
    }
}
