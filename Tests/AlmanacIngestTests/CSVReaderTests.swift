@testable import AlmanacIngest
import Testing

@Suite struct CSVReaderTests {
    @Test func quotedFieldsDoubledQuotesAndEmbeddedNewlines() throws {
        let rs = try records("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,,3")
        #expect(rs.map(\.fields) == [["a", "b", "c"], ["x, y", "say \"hi\"", "two\nlines"], ["1", "", "3"]])
        #expect(rs.map(\.line) == [1, 2, 4])
        #expect(rs.map(\.number) == [1, 2, 3])
        #expect(rs[1].positions == [TextPosition(line: 2, column: 1), TextPosition(line: 2, column: 8), TextPosition(line: 2, column: 21)])
    }

    @Test func bomIsSkippedAndMixedLineEndsAndBlankLinesWork() throws {
        let reader = try CSVReader(source: ByteSource(bytes: [0xEF, 0xBB, 0xBF] + Array("h1,h2\r\n\r\n1,2\n\n\r3,4\r5,6".utf8), displayName: "t.csv"))
        #expect(reader.hadByteOrderMark)
        var rs: [CSVRecord] = []
        while let r = try reader.next() { rs.append(r) }
        #expect(rs.map(\.fields) == [["h1", "h2"], ["1", "2"], ["3", "4"], ["5", "6"]])
        #expect(rs.map(\.line) == [1, 3, 6, 7])
        #expect(rs[0].positions[0] == TextPosition(line: 1, column: 1))
    }

    @Test func delimiterIsDetectedFromTheFirstLineWithOne() throws {
        #expect(try records("a;b;c\n1;2,5;3").map(\.fields) == [["a", "b", "c"], ["1", "2,5", "3"]])
        #expect(try records("a\tb\n1\t2").map(\.fields) == [["a", "b"], ["1", "2"]])
        // A PX-Web title line with a comma inside quotes does not decide.
        let px = try records("\"Title, with comma\"\r\n\r\n\"h1\";\"h2\"\r\n\"x\";1.0\r\n")
        #expect(px.map(\.fields) == [["Title, with comma"], ["h1", "h2"], ["x", "1.0"]])
        #expect(px.map(\.line) == [1, 3, 4])
    }

    @Test func recordsAreReadAcrossChunkBoundaries() throws {
        let rows = (0..<500).map { "r\($0),\"q\r\n\($0)\",x" }.joined(separator: "\r\n")
        let rs = try records(Array(rows.utf8), limits: CSVLimits(chunkBytes: 16))
        #expect(rs.count == 500)
        #expect(rs[499].fields == ["r499", "q\r\n499", "x"])
        #expect(rs[499].line == 999)
    }

    @Test func utf16IsRejected() {
        #expect(csvError([0xFF, 0xFE, 0x61, 0x00])?.description == "t.csv:1:1: file is UTF-16; save it as UTF-8")
        let noBOM: [UInt8] = Array("a,b\n1,2\n".utf8).flatMap { (b: UInt8) -> [UInt8] in [b, 0] }
        #expect(csvError(noBOM)?.kind == .utf16)
    }

    @Test func invalidUTF8NamesTheByteAndGuessesTheEncoding() {
        // "Thái Nguyên" in Windows-1258: á = 0xE1, ê = 0xEA.
        let cp1258: [UInt8] = Array("region,value\n".utf8) + [0x54, 0x68, 0xE1, 0x69, 0x20, 0x4E, 0x67, 0x75, 0x79, 0xEA, 0x6E] + Array(",1\n".utf8)
        #expect(csvError(cp1258)?.description ==
            "t.csv:2:3: invalid UTF-8 (byte 0xE1); the bytes look like Windows-1258 (Vietnamese Windows code page); save the file as UTF-8")
        // The same name in TCVN3: á = 0xB8, ê = 0xAA.
        let tcvn: [UInt8] = Array("region,value\n1,\"".utf8) + [0x54, 0x68, 0xB8, 0x69, 0x20, 0x4E, 0x67, 0x75, 0x79, 0xAA, 0x6E] + Array("\"\n".utf8)
        #expect(csvError(tcvn)?.description ==
            "t.csv:2:6: invalid UTF-8 (byte 0xB8); the bytes look like TCVN3 (ABC, .VnTime fonts); save the file as UTF-8")
    }

    @Test func nulByteIsRejected() {
        #expect(csvError(Array("a,b\n1,".utf8) + [0] + Array("2\n".utf8))?.description ==
            "t.csv:2:3: NUL byte (0x00) in the file; is it UTF-16 or a binary file? save it as UTF-8 text")
    }

    @Test func unbalancedQuoteNamesWhereTheFieldBegan() {
        #expect(csvError("a,b\n1,\"open\n2,3\n4,5\n")?.description ==
            "t.csv:2:3: unbalanced quote: the quoted field that begins here is never closed; a quote inside a quoted field must be doubled (\"\")")
    }

    @Test func strayQuotesAreRejected() {
        #expect(csvError("a,b\n1,ab\"c\n")?.description ==
            "t.csv:2:5: quote inside an unquoted field; enclose the whole field in quotes and double the quote inside (\"\")")
        #expect(csvError("a,b\n1,\"ab\"c\n")?.description ==
            "t.csv:2:7: text after the closing quote of a field; a quote inside a quoted field must be doubled (\"\")")
    }

    @Test func raggedRowIsRejected() {
        #expect(csvError("a,b,c\n1,2,3\n1,2\n", expect: 3)?.description ==
            "t.csv:3:1: record has 2 fields, header has 3; check for a missing or extra delimiter, or a quote that is not closed")
    }

    @Test func overLongRecordAndTooManyFieldsAreRejected() {
        let long = "a\n" + String(repeating: "x", count: 2_000) + "\n"
        #expect(csvError(long, limits: CSVLimits(recordBytesMax: 1_000))?.description == "t.csv:2:1: record is longer than 1000 bytes (the limit)")
        let runaway = "a,b\n1,\"never closed" + String(repeating: "y", count: 5_000)
        #expect(csvError(runaway, limits: CSVLimits(recordBytesMax: 1_000, chunkBytes: 64))?.description ==
            "t.csv:2:1: record is longer than 1000 bytes (the limit); a quoted field began at line 2, column 3; is its closing quote missing?")
        let wide = String(repeating: ",", count: 2_000) + "\n"
        #expect(csvError(wide)?.description == "t.csv:1:1: record has more than 2000 fields (the limit)")
    }

    @Test func fileSizeLimitIsEnforced() {
        #expect(csvError("a,b\n1,2\n", limits: CSVLimits(fileBytesMax: 4))?.description == "t.csv: file is 8 bytes, more than the limit of 4")
    }

    @Test func emptyFileIsRejected() {
        #expect(csvError("")?.description == "t.csv: file is empty; expected a header row and at least one data row")
        #expect(csvError([0xEF, 0xBB, 0xBF, 0x0D, 0x0A])?.kind == .emptyFile)
    }

    @Test func readsAFileFromDisk() throws {
        let path = try temporaryFile(Array("x,y\n1,2\n".utf8), name: "disk.csv")
        let reader = try CSVReader(path: path)
        #expect(reader.fileName == "disk.csv")
        #expect(try reader.next()?.fields == ["x", "y"])
        #expect(try reader.next()?.fields == ["1", "2"])
        #expect(try reader.next() == nil)
        #expect(throws: IngestError.self) { try CSVReader(path: path + ".missing") }
    }
}
