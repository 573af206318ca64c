// almanac-torture: a child process for crash tests. It appends batches to a log until it
// is killed, and acknowledges each batch on standard output only after `append` returned
// (so after the batch was fsynced). The parent kills it with SIGKILL at random moments and
// checks that every acknowledged batch survived whole.
//
//   almanac-torture log DIR SEED [SEGMENT_BYTES]
//
// Each event's payload names its batch: {"b":FIRST_SEQ,"n":COUNT,"i":INDEX,"pad":"…"},
// so a reader can prove every batch is whole.
import AlmanacLog
import Glibc

/// Writes a line to a file descriptor with one write(2) (no stdio buffering to flush).
func say(_ text: String, fd: Int32 = 1) {
    let bytes = Array((text + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

let args = CommandLine.arguments
guard args.count >= 4, args[1] == "log", let seed = UInt64(args[3]) else {
    say("usage: almanac-torture log DIR SEED [SEGMENT_BYTES]", fd: 2)
    exit(2)
}
var options = LogOptions()
if args.count >= 5, let bytes = Int(args[4]) { options.segmentBytesMax = bytes }

/// SplitMix64: small, deterministic by seed.
struct SplitMix { var state: UInt64; mutating func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; return z ^ (z >> 31) } }
var rng = SplitMix(state: seed)

do {
    let writer = try LogWriter(path: args[2], options: options)
    if let cut = writer.recovery.truncation {
        say("recovered: cut \(cut.bytes) bytes at \(cut.offset) of \(cut.segmentPath)", fd: 2)
    }
    let pad = String(repeating: "x", count: 400)
    while true {
        let count = Int(rng.next() % 64) + 1
        let first = writer.nextSequence
        let r = try writer.append { enc in
            for i in 0..<count {
                let padLength = Int(rng.next() % 400)
                enc.add(type: "TortureEvent") { out in
                    out.append("{\"b\":"); out.append(decimal: first); out.append(",\"n\":")
                    out.append(decimal: UInt64(count)); out.append(",\"i\":"); out.append(decimal: UInt64(i))
                    out.append(",\"pad\":\""); out.append(String(pad.prefix(padLength))); out.append("\"}")
                }
            }
        }
        say("ack \(r.firstSequence) \(r.count)")
    }
} catch {
    say("almanac-torture: \(error)", fd: 2)
    exit(1)
}
