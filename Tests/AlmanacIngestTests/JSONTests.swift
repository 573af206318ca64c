import AlmanacLog
import Testing

@Suite struct JSONTests {
    @Test func roundTripKeepsOrderNumbersAndUnknownKeys() throws {
        let text = #"{"z":1,"a":[true,false,null,-0.50,1e308,12345678901234567890123456789],"unknown":{"k":"v\n\"é\""},"m":{}}"#
        let value = try JSONParser.parse(text)
        #expect(value.jsonText == text)
        #expect(value["a"]?[3]?.numberText == "-0.50")
        #expect(value["a"]?[5]?.numberText == "12345678901234567890123456789")
        #expect(value["unknown"]?["k"]?.stringValue == "v\n\"é\"")
        #expect(value.objectValue?.map(\.key) == ["z", "a", "unknown", "m"])
        #expect(try JSONParser.parse(value.jsonText) == value)
    }

    @Test func whitespaceIsDroppedOnWrite() throws {
        let value = try JSONParser.parse(" {\n \"a\" : [ 1 , 2 ] ,\r\n\t\"b\":\"x\" } ")
        #expect(value.jsonText == #"{"a":[1,2],"b":"x"}"#)
    }

    @Test func escapesAndSurrogatePairs() throws {
        let value = try JSONParser.parse(#"["\u0041\u00e9\u1EA1\ud83d\ude00","\/\b\f\t\r\n"]"#)
        #expect(value[0]?.stringValue == "Aéạ😀")
        #expect(value[1]?.stringValue == "/\u{8}\u{C}\t\r\n")
    }

    @Test func equalityIsOrderSensitiveForObjects() throws {
        #expect(try JSONParser.parse(#"{"a":1,"b":2}"#) != JSONParser.parse(#"{"b":2,"a":1}"#))
        #expect(try JSONParser.parse("1.0") != JSONParser.parse("1"))
    }

    @Test func duplicateKeyIsRejectedWithLineAndColumn() {
        #expect(throws: JSONParseError(line: 2, column: 3, offset: 10, reason: "duplicate key \"a\" in object")) {
            try JSONParser.parse("{\"a\":1,\n  \"a\":2}")
        }
    }

    @Test func duplicateKeyInLargeObjectIsRejected() {
        let members = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        #expect(throws: JSONParseError.self) { try JSONParser.parse("{\(members),\"k17\":0}") }
    }

    @Test func depthThousandIsRejected() {
        let text = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONParseError(line: 1, column: 65, offset: 64, reason: "nesting deeper than 64 levels")) {
            try JSONParser.parse(text)
        }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? JSONParser.parse(ok)) != nil)
    }

    @Test(arguments: [
        ("[1,]", "line 1, column 4 (byte 3): unexpected ']', expected a value"),
        ("{'a':1}", "line 1, column 2 (byte 1): expected a string key, found '''"),
        ("01", "line 1, column 1 (byte 0): invalid number: leading zero"),
        ("NaN", "line 1, column 1 (byte 0): unexpected 'N', expected a value"),
        ("[1] x", "line 1, column 5 (byte 4): unexpected 'x' after the JSON value"),
        ("\"a\tb\"", "line 1, column 3 (byte 2): unescaped control character byte 0x9 in a string"),
        ("\"\\ud800\"", "line 1, column 2 (byte 1): high surrogate \\uD800 without a low surrogate"),
        ("\"\\udc00\"", "line 1, column 2 (byte 1): lone low surrogate \\uDC00"),
        ("\"abc", "line 1, column 1 (byte 0): unterminated string"),
        ("", "line 1, column 1 (byte 0): unexpected end of input, expected a value"),
        ("[1.]", "line 1, column 4 (byte 3): invalid number: expected a digit after '.'"),
    ])
    func malformedTextIsRejected(text: String, message: String) {
        do {
            _ = try JSONParser.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func invalidUTF8AndBOMAreRejected() {
        #expect(throws: JSONParseError(line: 1, column: 3, offset: 2, reason: "invalid UTF-8 in a string")) {
            try JSONParser.parse([0x22, 0x61, 0xC3, 0x28, 0x22])
        }
        #expect(throws: JSONParseError.self) { try JSONParser.parse([0xEF, 0xBB, 0xBF, 0x31]) }
    }

    @Test func sizeLimitIsEnforced() {
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[1,2,3]", limits: JSONParseLimits(maxBytes: 4)) }
    }

    @Test func writesIntoByteBuffer() throws {
        let out = ByteBuffer(capacity: 16)
        JSONValue.object([(key: "k", value: .array([.number("1.50"), .string("ồ\u{1}")]))]).write(to: out)
        #expect(String(decoding: out.bytes, as: UTF8.self) == #"{"k":[1.50,"ồ\u0001"]}"#)
    }
}
