/// One event as stored in the log: a single line of JSON.
///
/// ```
/// {"seq":42,"type":"ObservationReported","v":1,"time":"2021-07-12T08:00:00.000Z","data":{…}}
/// ```
///
/// `seq` is the global sequence number, `type` and `v` name the payload's schema and its
/// version, `time` is when the writer appended the batch (UTC, milliseconds), `data` is the
/// payload, a JSON object the log never interprets. Fields this version does not know are
/// kept, in order, in `extra` and written back unchanged, so a newer writer's additions
/// survive being read and rewritten by an older reader.
public struct EventEnvelope: Sendable, Equatable {
    public var sequence: UInt64
    public var type: String
    public var version: Int
    /// The append time as written (`YYYY-MM-DDTHH:MM:SS.mmmZ`).
    public var time: String
    /// The payload's JSON text, exactly as stored.
    public var data: [UInt8]
    /// Unknown top-level fields: key and raw JSON value text.
    public var extra: [Extra]

    public struct Extra: Sendable, Equatable {
        public var key: String
        public var rawValue: [UInt8]
        public init(key: String, rawValue: [UInt8]) { self.key = key; self.rawValue = rawValue }
    }

    public init(sequence: UInt64, type: String, version: Int, time: String, data: [UInt8], extra: [Extra] = []) {
        self.sequence = sequence
        self.type = type
        self.version = version
        self.time = time
        self.data = data
        self.extra = extra
    }

    /// The payload as text.
    public var dataText: String { String(decoding: data, as: UTF8.self) }

    /// Writes the envelope as one JSON line (with the trailing newline).
    public func write(to out: ByteBuffer) {
        EventEnvelope.writePrefix(sequence: sequence, type: type, version: version, time: time, to: out)
        out.append(data)
        for field in extra {
            out.append(UInt8(ascii: ","))
            JSONWriter.appendKey(field.key, to: out)
            out.append(field.rawValue)
        }
        out.append("}\n")
    }

    /// The line as text, without the newline.
    public var line: String {
        let b = ByteBuffer(capacity: data.count + 128)
        write(to: b)
        return String(decoding: UnsafeRawBufferPointer(rebasing: b.bytes.dropLast()), as: UTF8.self)
    }

    /// Writes everything up to and including `"data":`; the payload and `}\n` follow.
    @inline(__always)
    static func writePrefix(sequence: UInt64, type: String, version: Int, time: String, to out: ByteBuffer) {
        // StaticString literals: no String machinery per event on the append path.
        out.append("{\"seq\":" as StaticString)
        out.append(decimal: sequence)
        out.append(",\"type\":" as StaticString)
        JSONWriter.appendString(type, to: out)
        out.append(",\"v\":" as StaticString)
        out.append(decimal: Int64(version))
        out.append(",\"time\":\"" as StaticString)
        out.append(time)
        out.append("\",\"data\":" as StaticString)
    }

    /// The sequence number of a line, cheaply: the writer always puts `seq` first.
    static func scanSequence(_ line: UnsafeRawBufferPointer) -> UInt64? {
        let prefix: StaticString = "{\"seq\":"
        let n = prefix.utf8CodeUnitCount
        guard line.count > n else { return nil }
        for i in 0..<n where line[i] != prefix.utf8Start[i] { return (try? parse(line))?.sequence }
        var value: UInt64 = 0
        var i = n
        var digits = 0
        while i < line.count, line[i] >= 48, line[i] <= 57, digits < 20 {
            value = value &* 10 &+ UInt64(line[i] - 48)
            i += 1
            digits += 1
        }
        return digits > 0 && i < line.count && line[i] == UInt8(ascii: ",") ? value : nil
    }
}

/// Splits JSON Lines text into lines without copying.
public enum EventLines {
    public static func forEach(_ text: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard let base = text.baseAddress else { return }
        var start = 0
        let n = text.count
        while start < n {
            let rest = n - start
            let hit = memchr(base + start, 0x0A, rest)
            let end = hit.map { base.distance(to: UnsafeRawPointer($0)) } ?? n
            if end > start { try body(UnsafeRawBufferPointer(start: base + start, count: end - start)) }
            start = end + 1
        }
    }
}

import Glibc
