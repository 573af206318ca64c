import Logging

/// When the writer makes appended batches durable.
public enum Durability: Sendable, Equatable {
    /// fsync after every batch before `append` returns (the default): an acknowledged
    /// batch survives a power cut.
    case everyBatch
    /// fsync when at least this many milliseconds passed since the last one, and on close.
    /// A crash may lose the batches of the last interval, never a part of one.
    case interval(milliseconds: Int)
    /// Never fsync (benchmarks, tests, throw-away stores). A crash may lose any suffix.
    case none
}

/// How a log is opened for writing.
public struct LogOptions: Sendable {
    /// A segment is closed and a new one started when the next batch would take it past
    /// this size. A single batch larger than this gets a segment of its own.
    public var segmentBytesMax: Int = 64 * 1024 * 1024
    public var durability: Durability = .everyBatch
    /// zstd level for batch payloads.
    public var compressionLevel: Int32 = 3
    /// Threads zstd may use to compress one batch (0 = the appending thread only). Large
    /// batches are split into 512 KiB jobs; the result is still one standard frame.
    /// Measured on 2 cores with 2.5 MB batches: 2 workers took 1.22 s where the appending
    /// thread alone took 0.75 s (job set-up outweighs the parallelism), hence 0.
    public var compressionWorkers: Int32 = 0
    /// The append time of each batch, in milliseconds since 1970 (tests fix it).
    public var clock: @Sendable () -> Int64 = { Timestamp.nowMs() }
    public var io: FileIO = PosixFileIO()
    /// Where recovery reports what it truncated.
    public var logger = Logger(label: "almanac.log")

    public init() {}
}

/// What one append did.
public struct AppendResult: Sendable, Equatable {
    public var firstSequence: UInt64
    public var count: Int
    /// Bytes written to the segment (header frame and compressed payload).
    public var bytes: Int
    public var recordedAtMs: Int64
    public var lastSequence: UInt64 { firstSequence + UInt64(count) - 1 }
}

/// What recovery did when the writer opened the log.
public struct RecoveryReport: Sendable, Equatable {
    /// The torn tail that was cut, if any.
    public struct Truncation: Sendable, Equatable {
        public var segmentPath: String
        public var offset: Int
        public var bytes: Int
        /// Where the cut bytes were kept.
        public var brokenPath: String
        public var reason: String
    }

    public var truncation: Truncation?
    public var nextSequence: UInt64
    public var batches: Int
}

/// One event to append: its type and schema version, and the payload's JSON object text.
public struct PendingEvent: Sendable, Equatable {
    public var type: String
    public var version: Int
    public var data: [UInt8]

    public init(type: String, version: Int = 1, data: [UInt8]) {
        self.type = type
        self.version = version
        self.data = data
    }

    public init(type: String, version: Int = 1, json: String) {
        self.init(type: type, version: version, data: Array(json.utf8))
    }
}

/// Fills a batch in place: the writer hands it out under its lock, with the sequence
/// numbers already known, so payloads are encoded straight into the batch buffer.
public struct BatchEncoder: ~Copyable {
    let buffer: ByteBuffer
    let time: String
    public let firstSequence: UInt64
    public private(set) var count = 0
    /// Events written ahead, which end the batch (compressed after `buffer`, not copied).
    private(set) var tail: EncodedEvents?

    init(buffer: ByteBuffer, firstSequence: UInt64, time: String) {
        self.buffer = buffer
        self.firstSequence = firstSequence
        self.time = time
    }

    /// The sequence number the next added event will get.
    public var nextSequence: UInt64 { firstSequence + UInt64(count) }

    /// Adds one event; `writeData` must append exactly one JSON object to the buffer.
    public mutating func add(type: String, version: Int = 1, _ writeData: (ByteBuffer) -> Void) {
        precondition(tail == nil, "events written ahead end the batch")
        EventEnvelope.writePrefix(sequence: nextSequence, type: type, version: version, time: time, to: buffer)
        writeData(buffer)
        buffer.append("}\n" as StaticString)
        count += 1
    }

    public mutating func add(_ event: PendingEvent) {
        add(type: event.type, version: event.version) { $0.append(event.data) }
    }
}

/// Events written as a batch's lines ahead of its append, numbered from `firstSequence` at
/// `time` exactly as ``BatchEncoder`` would number them (another thread may write them
/// while the batch is still being decided); ``BatchEncoder/addEncoded(_:)`` takes them
/// into the batch when the numbers and time are the batch's.
///
/// Not `Sendable`: one thread writes it, then hands it over.
public final class EncodedEvents {
    public let firstSequence: UInt64
    let time: String
    let buffer: ByteBuffer
    public private(set) var count = 0

    /// Lines for events numbered from `firstSequence`, in a batch recorded at `timeMs`.
    public init(firstSequence: UInt64, timeMs: Int64, capacity: Int = 1 << 20) {
        self.firstSequence = firstSequence
        time = Timestamp.iso8601(ms: timeMs)
        buffer = ByteBuffer(capacity: capacity)
    }

    /// Bytes written so far.
    public var bytes: Int { buffer.count }

    /// Room for `extra` more bytes.
    public func reserve(_ extra: Int) { buffer.reserve(extra) }

    /// Adds one event; `writeData` must append exactly one JSON object to the buffer.
    public func add(type: String, version: Int = 1, _ writeData: (ByteBuffer) -> Void) {
        EventEnvelope.writePrefix(sequence: firstSequence + UInt64(count), type: type, version: version, time: time, to: buffer)
        writeData(buffer)
        buffer.append("}\n" as StaticString)
        count += 1
    }
}

extension BatchEncoder {
    /// Ends the batch with the events of `lines` when they are numbered from this batch's
    /// next sequence and carry its time (they are compressed where they are, after the
    /// events added before); otherwise adds nothing and returns false (the caller adds them
    /// one by one). No event may be added after them.
    public mutating func addEncoded(_ lines: EncodedEvents) -> Bool {
        guard tail == nil, lines.firstSequence == nextSequence, lines.time == time else { return false }
        tail = lines
        count += lines.count
        return true
    }

    /// The bytes of the events written ahead (empty when none).
    var tailBytes: UnsafeRawBufferPointer { tail?.buffer.bytes ?? UnsafeRawBufferPointer(start: nil, count: 0) }
}
