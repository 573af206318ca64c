import AlmanacLog
import Testing

@Suite struct FormatTests {
    @Test func crc32cCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        // Slicing-by-8 and the byte-wise tail agree with a chained computation.
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = CRC32C.checksum(bytes)
        let chained = CRC32C.checksum(Array(bytes[500...]), continuing: CRC32C.checksum(Array(bytes[..<500])))
        #expect(whole == chained)
    }

    @Test func headerRoundTrip() throws {
        var h = BatchHeader(firstSequence: 42, count: 7, compressedBytes: 1234, uncompressedBytes: 9999,
                            recordedAtMs: 1_626_076_800_000, payloadCRC: 0xDEAD_BEEF, previousCRC: 0x0102_0304)
        let bytes = h.encode()
        #expect(bytes.count == BatchHeader.encodedBytes)
        #expect(Array(bytes[0..<4]) == [0x5A, 0x2A, 0x4D, 0x18])
        #expect(Array(bytes[8..<12]) == Array("ALMB".utf8))
        let back = try BatchHeader.decode(bytes).get()
        #expect(back == h)
        #expect(back.nextSequence == 49)
    }

    @Test func headerRejectsEveryFlippedBit() {
        var h = BatchHeader(firstSequence: 1, count: 1, compressedBytes: 10, uncompressedBytes: 10,
                            recordedAtMs: 0, payloadCRC: 1, previousCRC: 0)
        let good = h.encode()
        for bit in 0..<(good.count * 8) {
            var bad = good
            bad[bit / 8] ^= UInt8(1 << (bit % 8))
            if case .success = BatchHeader.decode(bad) { Issue.record("bit \(bit) flip not detected") }
        }
    }

    @Test func envelopeRoundTripKeepsUnknownFields() throws {
        let line = #"{"seq":12,"type":"ObservationReported","v":2,"time":"2021-07-12T08:00:00.000Z","data":{"value":"6.5","new":{"a":[1,2]}},"origin":"future","trace":[1,{"x":"y\"z"}]}"#
        let e = try EventEnvelope.parse(line)
        #expect(e.sequence == 12)
        #expect(e.type == "ObservationReported")
        #expect(e.version == 2)
        #expect(e.time == "2021-07-12T08:00:00.000Z")
        #expect(e.dataText == #"{"value":"6.5","new":{"a":[1,2]}}"#)
        #expect(e.extra.map(\.key) == ["origin", "trace"])
        #expect(e.line == line)
    }

    @Test func envelopeRejectsBadLines() {
        for bad in ["", "{}", "[1]", #"{"seq":1}"#, #"{"seq":"x","type":"T","v":1,"time":"t","data":{}}"#,
                    #"{"seq":1,"type":"T","v":1,"time":"t","data":[]}"#, #"{"seq":1,"type":"T","v":1,"time":"t","data":{}} x"#,
                    #"{"seq":1,"type":"T","v":1,"time":"t","data":{"a":"#] {
            #expect(throws: EventEnvelope.ParseError.self, "\(bad)") { try EventEnvelope.parse(bad) }
        }
    }

    @Test func timestamps() {
        #expect(Timestamp.iso8601(ms: 0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(ms: 1_626_076_800_123) == "2021-07-12T08:00:00.123Z")
        #expect(Timestamp.parse("2021-07-12T08:00:00.123Z") == 1_626_076_800_123)
        #expect(Timestamp.parse("2021-07-12") == 1_626_048_000_000)
        #expect(Timestamp.parse("2024-02-29") != nil)
        #expect(Timestamp.parse("2023-02-29") == nil)
        #expect(Timestamp.parse("2021-13-01") == nil)
        for ms: Int64 in [-86_400_001, 951_782_400_000, 4_102_444_800_000] {
            #expect(Timestamp.parse(Timestamp.iso8601(ms: ms)) == ms)
        }
    }
}

@Suite struct EnvelopeEscapeTests {
    @Test func escapedStringsDecodeLikeJSON() throws {
        // A surrogate pair, a control character and quotes in the type and time fields.
        let line = #"{"seq":7,"type":"T\"\ud83d\ude00","v":1,"time":"2021-07-12T08:00:00.000Z\u0001","data":{}}"#
        let e = try EventEnvelope.parse(line)
        #expect(e.type == "T\"😀")
        #expect(e.time == "2021-07-12T08:00:00.000Z\u{1}")
        #expect(throws: EventEnvelope.ParseError.self) { try EventEnvelope.parse(#"{"seq":7,"type":"\ud83d","v":1,"time":"t","data":{}}"#) }
    }
}
