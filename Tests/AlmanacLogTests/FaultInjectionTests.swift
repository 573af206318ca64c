import AlmanacLog
import AlmanacTesting
import Foundation
import Glibc
import Testing

/// ENOSPC and EIO on the N-th write and on fsync: the failing append throws, the writer
/// stops for good, and a reopened log holds exactly the acknowledged batches.
@Suite struct FaultInjectionTests {
    @Test(arguments: [(ENOSPC, 0), (EIO, 0), (ENOSPC, 77), (EIO, 3)])
    func failedWriteStopsTheWriter(errno code: Int32, partial: Int) throws {
        for n in 1...6 {
            let dir = TemporaryDirectory()
            let io = FaultyFileIO(failWrite: (n, code))
            io.partialBytesOnFailure = partial
            // Count only writes to segments (the index is a hint whose failures are ignored).
            io.onlyPathsWithSuffix = ".zst"
            let w = try LogWriter(path: dir.path, options: testOptions(durability: .everyBatch, io: io))
            var acked: [AppendResult] = []
            var failure: Error?
            for b in 0..<10 {
                do { acked.append(try w.append([PendingEvent(type: "T", json: payload(batch: b, index: 0))])) }
                catch { failure = error; break }
            }
            let error = try #require(failure as? LogError, "write \(n) did not fail an append")
            #expect(error.errno == code)
            // Stopped for good, even for a batch that would now succeed.
            #expect { try w.append([PendingEvent(type: "T", json: "{}")]) } throws: { ($0 as? LogError)?.kind == .writerStopped }
            try? w.close()
            let reopened = try LogWriter(path: dir.path, options: testOptions())
            let events = try readAll(dir.path)
            #expect(events.count == acked.count)
            #expect(events.map(\.sequence) == acked.map(\.firstSequence))
            #expect(reopened.nextSequence == UInt64(acked.count + 1))
        }
    }

    @Test(arguments: [ENOSPC, EIO])
    func failedFsyncStopsTheWriterAndIsNeverRetried(errno code: Int32) throws {
        for n in 2...5 {
            let dir = TemporaryDirectory()
            let io = FaultyFileIO(failFsync: (n, code))
            let w = try LogWriter(path: dir.path, options: testOptions(durability: .everyBatch, io: io))
            var acked: [AppendResult] = []
            var failure: Error?
            for b in 0..<10 {
                do { acked.append(try w.append([PendingEvent(type: "T", json: payload(batch: b, index: 0))])) }
                catch { failure = error; break }
            }
            let error = try #require(failure as? LogError)
            #expect(error.errno == code)
            let fsyncsAtFailure = io.fsyncCount
            #expect { try w.append([PendingEvent(type: "T", json: "{}")]) } throws: { ($0 as? LogError)?.kind == .writerStopped }
            #expect { try w.sync() } throws: { ($0 as? LogError)?.kind == .writerStopped }
            #expect(io.fsyncCount == fsyncsAtFailure, "no fsync after the failed one")
            // Acknowledged batches are all there; the one whose fsync failed may or may not be.
            let events = try readAll(dir.path)
            #expect(Array(events.map(\.sequence).prefix(acked.count)) == acked.map(\.firstSequence))
            #expect(events.count <= acked.count + 1)
        }
    }
}

/// Pipelined appends: each batch gets its own fsync on the background thread; a failed one
/// stops the writer, and `waitDurable` reports it.
@Suite struct PipelinedAppendTests {
    @Test func everyBatchIsSyncedAndReadBack() throws {
        let dir = TemporaryDirectory()
        let io = FaultyFileIO()
        io.onlyPathsWithSuffix = ".zst"
        let w = try LogWriter(path: dir.path, options: testOptions(segmentBytes: 8 * 1024, durability: .everyBatch, io: io))
        var tickets: [AppendTicket] = []
        for b in 0..<40 {
            tickets.append(try w.appendPipelined { enc in
                for i in 0..<5 { enc.add(type: "T") { $0.append(payload(batch: b, index: i, size: 100)) } }
            })
        }
        for t in tickets { try w.waitDurable(t) }
        #expect(io.fsyncCount >= 40, "one fsync per batch at least")
        try w.close()
        #expect(try readAll(dir.path).map(\.sequence) == Array(1...200))
        #expect(try LogInspector.verify(path: dir.path).problem == nil)
    }

    @Test func aFailedBackgroundFsyncStopsTheWriter() throws {
        let dir = TemporaryDirectory()
        let io = FaultyFileIO(failFsync: (3, EIO))
        io.onlyPathsWithSuffix = ".zst"
        let w = try LogWriter(path: dir.path, options: testOptions(durability: .everyBatch, io: io))
        var tickets: [AppendTicket] = []
        var sawFailure = false
        for b in 0..<10 {
            do {
                let t = try w.appendPipelined { enc in enc.add(type: "T") { $0.append(payload(batch: b, index: 0)) } }
                tickets.append(t)
                try w.waitDurable(t)
            } catch {
                #expect((error as? LogError)?.errno == EIO || (error as? LogError)?.kind == .writerStopped)
                sawFailure = true
                break
            }
        }
        #expect(sawFailure)
        #expect { try w.append([PendingEvent(type: "T", json: "{}")]) } throws: { ($0 as? LogError)?.kind == .writerStopped }
    }
}
