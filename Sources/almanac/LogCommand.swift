import AlmanacLog
import ArgumentParser
import Foundation

/// `almanac log verify|dump|stats`: the event log seen with its own eyes.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Inspect the event log: verify checksums, dump events, show statistics.",
        subcommands: [Verify.self, Dump.self, Stats.self, Reindex.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every batch: checksums, the CRC chain, sequence numbers, decompression.",
            discussion: "Exit status 0 when the log is clean, 1 naming the first bad file and byte offset.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "Check checksums and the chain only, without decompressing payloads.") var quick = false

        func run() throws {
            let report = try openFailure { try LogInspector.verify(path: options.logPath, decompress: !quick) }
            if let problem = report.problem {
                throw CommandFailure(message: "log damaged: \(problem)")
            }
            print("log ok: \(report.segments) segments, \(report.batches) batches, \(report.events) events, sequences 1...\(report.nextSequence - 1)")
        }
    }

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print events as JSON Lines, exactly as stored.")
        @OptionGroup var options: StoreOptions
        @Option(help: "First sequence number to print.") var from: UInt64 = 1
        @Option(help: "Print at most this many events.") var limit: UInt64?

        func run() throws {
            let reader = try openFailure { try LogReader(path: options.logPath) }
            let cursor = try reader.cursor(from: from)
            let out = FileHandle.standardOutput
            var left = limit ?? UInt64.max
            let buffer = ByteBuffer(capacity: 1 << 20)
            while left > 0, let batch = try cursor.next() {
                var seq = batch.header.firstSequence
                EventLines.forEach(batch.text) { line in
                    defer { seq += 1 }
                    guard seq >= from, left > 0 else { return }
                    buffer.append(line)
                    buffer.append(UInt8(ascii: "\n"))
                    left -= 1
                }
                if buffer.count > 1 << 20 { out.write(Data(buffer.bytes)); buffer.removeAll() }
            }
            out.write(Data(buffer.bytes))
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Segments, batches, events, bytes on disk and uncompressed.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "One JSON object instead of a table.") var json = false

        func run() throws {
            let r = try openFailure { try LogInspector.verify(path: options.logPath, decompress: false) }
            if let problem = r.problem { throw CommandFailure(message: "log damaged: \(problem)") }
            let ratio = (r.compressionRatio * 100).rounded() / 100
            if json {
                print("{\"segments\":\(r.segments),\"batches\":\(r.batches),\"events\":\(r.events),\"bytes_on_disk\":\(r.bytesOnDisk),\"bytes_uncompressed\":\(r.bytesUncompressed),\"ratio\":\(ratio),\"next_sequence\":\(r.nextSequence)}")
                return
            }
            let rows: [(String, String)] = [
                ("segments", "\(r.segments)"), ("batches", "\(r.batches)"), ("events", "\(r.events)"),
                ("bytes on disk", "\(r.bytesOnDisk)"), ("bytes uncompressed", "\(r.bytesUncompressed)"),
                ("compression ratio", String(format: "%.2f", r.compressionRatio)), ("next sequence", "\(r.nextSequence)"),
            ]
            for (k, v) in rows { print(k.padding(toLength: 20, withPad: " ", startingAt: 0) + String(repeating: " ", count: max(0, 14 - v.count)) + v) }
        }
    }

    struct Reindex: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rebuild every segment's sparse index from the segment itself.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let n = try openFailure { try LogInspector.rebuildIndexes(path: options.logPath) }
            print("rebuilt the index of \(n) segments")
        }
    }
}

/// Turns "no log here" and other log errors into a one-line failure (exit 1).
func openFailure<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as LogError {
        throw CommandFailure(message: e.description)
    }
}
