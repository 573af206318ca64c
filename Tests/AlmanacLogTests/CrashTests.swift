import AlmanacLog
import AlmanacTesting
import Foundation
import Glibc
import Testing

/// A real writer process (`almanac-torture log`) is killed with SIGKILL at random moments,
/// again and again on the same log. After every kill the log is reopened (running
/// recovery) and checked: every acknowledged batch is present and whole, no partial batch
/// is visible, and sequence numbers are gapless.
///
/// `ALMANAC_SOAK_KILLS` raises the number of kills (default 220).
@Suite struct CrashTests {
    static var kills: Int { Int(ProcessInfo.processInfo.environment["ALMANAC_SOAK_KILLS"] ?? "") ?? 220 }

    @Test func killedWriterLosesNothingAcknowledged() throws {
        let dir = TemporaryDirectory("crash")
        let log = dir.file("log")
        let torture = Executables.path("almanac-torture")
        try #require(FileManager.default.isExecutableFile(atPath: torture), "build almanac-torture first (\(torture))")
        var acked: [(first: UInt64, count: Int)] = []
        var verifiedUpTo: UInt64 = 1
        var killedAfterAcks = 0
        for round in 0..<Self.kills {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: torture)
            // Small segments so kills also land around segment rolls.
            p.arguments = ["log", log, String(round + 1), "65536"]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            // From the instant the process starts (recovery, open) to well into appending.
            usleep(round % 4 == 0 ? UInt32.random(in: 0...3_000) : UInt32.random(in: 10_000...100_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal, "round \(round): the child exited by itself")
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            var roundAcks = 0
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 3, parts[0] == "ack", let f = UInt64(parts[1]), let c = Int(parts[2]) else {
                    Issue.record("round \(round): bad ack line \(line)")
                    continue
                }
                acked.append((f, c))
                roundAcks += 1
            }
            if roundAcks > 0 { killedAfterAcks += 1 }

            // Reopen: recovery runs, then check what is new since the last round.
            let writer = try LogWriter(path: log, options: { var o = LogOptions(); o.durability = .none; return o }())
            let head = writer.nextSequence
            try writer.close()
            let cursor = try LogReader(path: log).cursor(from: verifiedUpTo)
            var next = verifiedUpTo
            var batchesByFirst: [UInt64: Int] = [:]
            while let batch = try cursor.next() {
                #expect(batch.header.firstSequence == next, "round \(round): gap before \(batch.header.firstSequence)")
                var i = 0
                try batch.forEachEvent { e in
                    #expect(e.sequence == next + UInt64(i))
                    let expected = "{\"b\":\(batch.header.firstSequence),\"n\":\(batch.header.count),\"i\":\(i),"
                    #expect(e.dataText.hasPrefix(expected), "round \(round): event \(e.sequence) is not whole: \(e.dataText.prefix(60))")
                    i += 1
                }
                #expect(i == Int(batch.header.count))
                batchesByFirst[batch.header.firstSequence] = i
                next = batch.header.nextSequence
            }
            #expect(next == head)
            for a in acked where a.first >= verifiedUpTo {
                #expect(batchesByFirst[a.first] == a.count, "round \(round): acknowledged batch \(a.first) (+\(a.count)) is missing")
            }
            verifiedUpTo = head
        }
        print("crash test: \(Self.kills) kills, \(acked.count) acknowledged batches, \(killedAfterAcks) kills after at least one ack, \(verifiedUpTo - 1) events")
        // The whole log, checked end to end once more: every acknowledged batch, in order.
        let report = try LogInspector.verify(path: log)
        #expect(report.problem == nil)
        #expect(report.events == verifiedUpTo - 1)
        #expect(!acked.isEmpty)
        #expect(killedAfterAcks > Self.kills / 4, "most kills should land while appending")
    }
}
