import AlmanacLog
import AlmanacTesting
import Foundation
import Testing

@Suite struct WriterReaderTests {
    @Test func appendThenReadBack() throws {
        let dir = TemporaryDirectory()
        let writer = try LogWriter(path: dir.path, options: testOptions())
        let results = try fill(writer, batches: 10, perBatch: 7)
        #expect(results.map(\.firstSequence) == stride(from: 1, to: 71, by: 7).map { UInt64($0) })
        try writer.close()
        let events = try readAll(dir.path)
        #expect(events.count == 70)
        #expect(events.map(\.sequence) == Array(1...70))
        #expect(events[8].dataText == payload(batch: 1, index: 1))
        #expect(events[0].time == "2021-07-12T08:00:00.000Z")
        #expect(try LogReader(path: dir.path).headSequence() == 71)
    }

    @Test func reopenContinuesTheSequenceAndChain() throws {
        let dir = TemporaryDirectory()
        do { try fill(LogWriter(path: dir.path, options: testOptions()), batches: 3) }
        let w = try LogWriter(path: dir.path, options: testOptions())
        #expect(w.nextSequence == 16)
        #expect(w.recovery.truncation == nil)
        try fill(w, batches: 2)
        let report = try LogInspector.verify(path: dir.path)
        #expect(report.problem == nil)
        #expect(report.batches == 5)
        #expect(report.events == 25)
    }

    @Test func segmentsRollAndReadFromAnySequence() throws {
        let dir = TemporaryDirectory()
        let w = try LogWriter(path: dir.path, options: testOptions(segmentBytes: 4096))
        try fill(w, batches: 120, perBatch: 3, size: 300)
        try w.close()
        let segments = segmentFiles(dir.path)
        #expect(segments.count > 5)
        // Names sort by first sequence and each begins where the last ended.
        #expect(segments.first?.hasSuffix("00000000000000000001.zst") == true)
        let all = try readAll(dir.path)
        #expect(all.map(\.sequence) == Array(1...360))
        for start: UInt64 in [1, 2, 3, 4, 100, 181, 359, 360] {
            var seen: [UInt64] = []
            try LogReader(path: dir.path).forEachEvent(from: start) { e, _ in seen.append(e.sequence) }
            #expect(seen == Array(start...360))
        }
        var none: [UInt64] = []
        try LogReader(path: dir.path).forEachEvent(from: 361) { e, _ in none.append(e.sequence) }
        #expect(none.isEmpty)
    }

    @Test func sparseIndexIsRebuiltAndDamagedIndexIsIgnored() throws {
        let dir = TemporaryDirectory()
        let w = try LogWriter(path: dir.path, options: testOptions())
        try fill(w, batches: 300, perBatch: 20, size: 200)
        try w.close()
        let idx = dir.path + "/00000000000000000001.idx"
        let original = try Data(contentsOf: URL(fileURLWithPath: idx))
        #expect(original.count > 8 + 20, "a multi-megabyte segment gets several index entries")
        // Garbage in the index: readers check each entry against the segment.
        var damaged = original
        damaged[damaged.count - 5] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: idx))
        var seen: [UInt64] = []
        try LogReader(path: dir.path).forEachEvent(from: 5_990) { e, _ in seen.append(e.sequence) }
        #expect(seen == Array(5_990...6_000))
        // Rebuilding from the segment gives back the same index.
        try FileManager.default.removeItem(atPath: idx)
        #expect(try LogInspector.rebuildIndexes(path: dir.path) == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: idx)) == original)
    }

    @Test func secondWriterIsRefusedNamingTheHolder() throws {
        let dir = TemporaryDirectory()
        let first = try LogWriter(path: dir.path, options: testOptions())
        do {
            _ = try LogWriter(path: dir.path, options: testOptions())
            Issue.record("a second writer opened")
        } catch let e as LogError {
            #expect(e.kind == .locked(pid: getpid()))
            #expect(e.description.contains("locked for writing by process \(getpid())"))
        }
        _ = first
    }

    @Test func emptyBatchesAndOversizedBatchesAreRefused() throws {
        let dir = TemporaryDirectory()
        let w = try LogWriter(path: dir.path, options: testOptions())
        #expect(throws: LogError.self) { try w.append([]) }
        try fill(w, batches: 1)
        #expect(w.nextSequence == 6)
    }

    @Test func readersDuringWritesSeeOnlyWholeBatches() async throws {
        let dir = TemporaryDirectory()
        let writer = try LogWriter(path: dir.path, options: testOptions(segmentBytes: 32 * 1024))
        let batches = 300
        let writerTask = Task.detached {
            for b in 0..<batches {
                let n = (b % 17) + 1
                try writer.append((0..<n).map { PendingEvent(type: "Test", json: "{\"b\":\(b),\"n\":\(n),\"i\":\($0)}") })
            }
        }
        let reader = Task.detached { () -> Int in
            let cursor = try LogReader(path: dir.path).cursor()
            var seenBatches = 0
            var next: UInt64 = 1
            while seenBatches < batches {
                // A tail follower: wait for the writer rather than spin.
                guard let batch = try cursor.next(waitingUpToMs: 10_000, pollMs: 1) else { break }
                let events = try batch.events
                #expect(events.count == Int(batch.header.count))
                #expect(events.first?.sequence == next)
                let n = (seenBatches % 17) + 1
                #expect(events.count == n, "batch \(seenBatches) is whole")
                #expect(events.map(\.sequence) == Array(next..<(next + UInt64(n))))
                next += UInt64(events.count)
                seenBatches += 1
            }
            return seenBatches
        }
        try await writerTask.value
        #expect(try await reader.value == batches)
    }
}
