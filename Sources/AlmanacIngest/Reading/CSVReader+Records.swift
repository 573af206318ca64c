import AlmanacLog
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let quote = UInt8(ascii: "\"")
private let lf: UInt8 = 0x0A
private let cr: UInt8 = 0x0D

extension CSVReader {
    private enum State { case fieldStart, unquoted, quoted, quoteSeen }

    /// Reads the next record.
    ///
    /// - Returns: the record, or `nil` at the end of the file.
    /// - Throws: `IngestError` naming file, line and column; the reader is finished after.
    public func next() throws(IngestError) -> CSVRecord? {
        guard try nextRaw() else { return nil }
        return currentRecord()
    }

    /// Reads the next record into the reader's buffers without making strings of its
    /// fields (see ``currentRecord()``, ``withRawRecord(_:)``): every check `next()` makes
    /// is made, in the same order, with the same errors.
    ///
    /// - Returns: false at the end of the file.
    func nextRaw() throws(IngestError) -> Bool {
        guard !finished else { return false }
        if try nextSimpleRecord() { return true }
        quotedFieldsDirty = true
        recordBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStarts.removeAll(keepingCapacity: true)
        quotedFields.removeAll(keepingCapacity: true)
        var state = State.fieldStart
        var recordStart = TextPosition(line: line, column: column)
        var quoteStart = recordStart
        var begun = false
        let delimiter = self.delimiter

        while true {
            if chunkPos == chunkCount {
                if !atEOF { try fill() }
                if atEOF { break }
            }
            let b = chunk[chunkPos]
            let here = TextPosition(line: line, column: column)
            chunkPos += 1
            if b == lf {
                if !previousWasCR { line += 1 }
                column = 1
            } else if b == cr {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
            previousWasCR = b == cr
            if swallowLF {
                swallowLF = false
                if b == lf { continue }
            }
            if b == 0 {
                throw fail(.nulByte, at: here, "NUL byte (0x00) in the file",
                           hint: "is it UTF-16 or a binary file? save it as UTF-8 text")
            }
            switch state {
            case .fieldStart:
                if !begun {
                    if b == lf || b == cr {
                        // A blank line: nothing to return, the record starts later.
                        if b == cr { swallowLF = true }
                        continue
                    }
                    begun = true
                    recordStart = here
                }
                fieldStarts.append(here)
                if b == quote {
                    state = .quoted
                    quoteStart = here
                    quotedFields.append(true)
                } else if b == delimiter {
                    quotedFields.append(false)
                    try endField(recordStart)
                } else if b == lf || b == cr {
                    quotedFields.append(false)
                    try endField(recordStart)
                    if b == cr { swallowLF = true }
                    try finishRecord(recordStart)
                    return true
                } else {
                    quotedFields.append(false)
                    state = .unquoted
                    try append(b, recordStart, quoteStart: nil)
                    try appendPlainRun(stoppingAt: delimiter, recordStart, quoteStart: nil)
                }
            case .unquoted:
                if b == delimiter {
                    try endField(recordStart)
                    state = .fieldStart
                } else if b == lf || b == cr {
                    try endField(recordStart)
                    if b == cr { swallowLF = true }
                    try finishRecord(recordStart)
                    return true
                } else if b == quote {
                    throw fail(.strayQuote, at: here, "quote inside an unquoted field",
                               hint: "enclose the whole field in quotes and double the quote inside (\"\")")
                } else {
                    try append(b, recordStart, quoteStart: nil)
                    try appendPlainRun(stoppingAt: delimiter, recordStart, quoteStart: nil)
                }
            case .quoted:
                if b == quote {
                    state = .quoteSeen
                } else {
                    try append(b, recordStart, quoteStart: quoteStart)
                    try appendPlainRun(stoppingAt: quote, recordStart, quoteStart: quoteStart)
                }
            case .quoteSeen:
                if b == quote {
                    try append(quote, recordStart, quoteStart: quoteStart)
                    state = .quoted
                } else if b == delimiter {
                    try endField(recordStart)
                    state = .fieldStart
                } else if b == lf || b == cr {
                    try endField(recordStart)
                    if b == cr { swallowLF = true }
                    try finishRecord(recordStart)
                    return true
                } else {
                    throw fail(.strayQuote, at: here, "text after the closing quote of a field",
                               hint: "a quote inside a quoted field must be doubled (\"\")")
                }
            }
        }
        // End of file.
        if state == .quoted {
            throw fail(.unbalancedQuote, at: quoteStart, "unbalanced quote: the quoted field that begins here is never closed",
                       hint: "a quote inside a quoted field must be doubled (\"\")")
        }
        guard begun else {
            finished = true
            if recordCount == 0 {
                throw IngestError(.emptyFile, file: source.displayName, reason: "file is empty",
                                  hint: "expected a header row and at least one data row")
            }
            return false
        }
        if state == .fieldStart {
            fieldStarts.append(TextPosition(line: line, column: column))
            quotedFields.append(false)
        }
        try endField(recordStart)
        try finishRecord(recordStart)
        finished = true
        return true
    }

    /// Reads the next record at once when it is simple: it lies whole in the current chunk,
    /// ends with LF, starts with neither LF nor CR, and holds no quote, CR or NUL, no more
    /// fields and bytes than the limits allow; then it is its bytes split at the delimiter,
    /// with the positions, checks and state the byte-at-a-time reader would give. Returns
    /// false, having changed nothing, for any other record (the general reader takes it).
    private func nextSimpleRecord() throws(IngestError) -> Bool {
        guard !swallowLF, !previousWasCR, chunkPos < chunkCount else { return false }
        let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let start = chunkPos
        let first = base[start]
        guard first != lf, first != cr, let newline = memchr(base + start, Int32(lf), chunkCount - start) else { return false }
        let end = UnsafeMutablePointer<UInt8>(OpaquePointer(newline)) - base
        let delimiter = self.delimiter
        // Only plain bytes (no quote, CR or NUL); where the delimiters are; whether any byte
        // is not ASCII. Eight bytes at a time: a byte of a word equals b where the word XOR
        // b*0x01…01 has a zero byte (`zeroBytes` marks exactly those, in their high bits).
        @inline(__always) func zeroBytes(_ v: UInt64) -> UInt64 {
            ~(((v & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | v) & 0x8080_8080_8080_8080
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quotes = UInt64(quote) &* ones, crs = UInt64(cr) &* ones, delimiters = UInt64(delimiter) &* ones
        delimiterOffsets.removeAll(keepingCapacity: true)
        var high: UInt64 = 0
        var i = start
        while i + 8 <= end {
            let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if zeroBytes(w ^ quotes) | zeroBytes(w ^ crs) | zeroBytes(w) != 0 { return false }
            var d = zeroBytes(w ^ delimiters)
            while d != 0 {
                delimiterOffsets.append(i + d.trailingZeroBitCount >> 3)
                d &= d &- 1
            }
            high |= w
            i += 8
        }
        while i < end {
            let b = base[i]
            if b == quote || b == cr || b == 0 { return false }
            if b == delimiter { delimiterOffsets.append(i) }
            high |= UInt64(b)
            i += 1
        }
        let fields = delimiterOffsets.count + 1
        guard fields <= limits.fieldsMax, end - start - (fields - 1) <= limits.recordBytesMax else { return false }
        // The fields' bytes without the delimiters, where each field ends in them and where
        // it begins in the file (columns count characters: bytes that are not UTF-8
        // continuation bytes).
        let recordStart = TextPosition(line: line, column: column)
        let ascii = high & 0x8080_8080_8080_8080 == 0
        let byteCount = end - start - (fields - 1)
        recordBytes.removeAll(keepingCapacity: true)
        recordBytes.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: byteCount))
        // The per-field arrays keep their size from record to record (records have the
        // header's width): only their elements are written below.
        if fieldEnds.count != fields || fieldStarts.count != fields || quotedFields.count != fields || quotedFieldsDirty {
            fieldEnds = Array(repeating: 0, count: fields)
            fieldStarts = Array(repeating: recordStart, count: fields)
            quotedFields = Array(repeating: false, count: fields)
            quotedFieldsDirty = false
        }
        let line = self.line
        let startColumn = column
        recordBytes.withUnsafeMutableBytes { out in
            fieldEnds.withUnsafeMutableBufferPointer { ends in
                fieldStarts.withUnsafeMutableBufferPointer { starts in
                    delimiterOffsets.withUnsafeBufferPointer { delimiters in
                        var fieldStart = start
                        var written = 0
                        var col = startColumn
                        for f in 0..<fields {
                            let fieldEnd = f < fields - 1 ? delimiters[f] : end
                            let length = fieldEnd - fieldStart
                            if length > 0 {
                                (out.baseAddress! + written).copyMemory(from: base + fieldStart, byteCount: length)
                            }
                            starts[f] = TextPosition(line: line, column: col)
                            written += length
                            ends[f] = written
                            if ascii {
                                col += length + 1
                            } else {
                                for j in fieldStart..<fieldEnd where base[j] & 0xC0 != 0x80 { col += 1 }
                                col += 1
                            }
                            fieldStart = fieldEnd + 1
                        }
                    }
                }
            }
        }
        chunkPos = end + 1
        self.line += 1
        column = 1
        previousWasCR = false
        try finishRecord(recordStart)
        return true
    }

    /// Appends the bytes after the current one that need no decision, in one go: in an
    /// unquoted field everything but the delimiter, a quote, CR, LF and NUL; in a quoted
    /// field everything but a quote, CR, LF and NUL (`stop` is the delimiter or the quote).
    /// Such bytes change nothing but the column (and the record's length, checked once for
    /// the run: no byte of the run can raise another error first), exactly as the
    /// byte-at-a-time loop would.
    @inline(__always)
    private func appendPlainRun(stoppingAt stop: UInt8, _ recordStart: TextPosition,
                                quoteStart: TextPosition?) throws(IngestError) {
        let start = chunkPos
        var i = start
        var columns = 0
        let end = chunkCount
        let base = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self)
        while i < end {
            let b = base[i]
            if b == stop || b == quote || b == lf || b == cr || b == 0 { break }
            if b & 0xC0 != 0x80 { columns += 1 }
            i += 1
        }
        guard i > start else { return }
        column += columns
        previousWasCR = false
        chunkPos = i
        recordBytes.append(contentsOf: UnsafeRawBufferPointer(start: base + start, count: i - start))
        if recordBytes.count > limits.recordBytesMax {
            throw fail(.recordTooLong, at: recordStart, "record is longer than \(limits.recordBytesMax) bytes (the limit)",
                       hint: quoteStart.map { "a quoted field began at line \($0.line), column \($0.column); is its closing quote missing?" })
        }
    }

    @inline(__always)
    private func append(_ b: UInt8, _ recordStart: TextPosition, quoteStart: TextPosition?) throws(IngestError) {
        recordBytes.append(b)
        if recordBytes.count > limits.recordBytesMax {
            throw fail(.recordTooLong, at: recordStart, "record is longer than \(limits.recordBytesMax) bytes (the limit)",
                       hint: quoteStart.map { "a quoted field began at line \($0.line), column \($0.column); is its closing quote missing?" })
        }
    }

    private func endField(_ recordStart: TextPosition) throws(IngestError) {
        fieldEnds.append(recordBytes.count)
        if fieldEnds.count > limits.fieldsMax {
            throw fail(.tooManyFields, at: recordStart, "record has more than \(limits.fieldsMax) fields (the limit)")
        }
    }

    /// Checks the collected record: its width against `expectedFieldCount`, then UTF-8
    /// per field.
    private func finishRecord(_ recordStart: TextPosition) throws(IngestError) {
        recordCount += 1
        currentLine = recordStart.line
        if let expected = expectedFieldCount, fieldEnds.count != expected {
            let headerAt = headerLine.map { " (line \($0))" } ?? ""
            throw fail(.raggedRow, at: recordStart, "record has \(fieldEnds.count) fields, header\(headerAt) has \(expected)",
                       hint: "check for a missing or extra delimiter, or a quote that is not closed")
        }
        var invalid: (field: Int, offset: Int)?
        recordBytes.withUnsafeBytes { raw in
            // Pure ASCII (the common case) is valid UTF-8 in every field. (A check of the
            // whole record is not enough otherwise: fields are stored without delimiters,
            // so two halves of a sequence in adjacent fields would look valid together.)
            if CSVReader.isASCII(raw) { return }
            var start = 0
            for (i, end) in fieldEnds.enumerated() {
                let slice = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                if let bad = UTF8Validator.firstInvalid(slice) { invalid = (i, bad); return }
                start = end
            }
        }
        if let invalid {
            let fieldStart = invalid.field == 0 ? 0 : fieldEnds[invalid.field - 1]
            var position = fieldStarts[invalid.field]
            if quotedFields[invalid.field] { position.column += 1 }
            for i in fieldStart..<(fieldStart + invalid.offset) {
                let b = recordBytes[i]
                if b == lf { position.line += 1; position.column = 1 } else if b & 0xC0 != 0x80 { position.column += 1 }
            }
            let bad = recordBytes[fieldStart + invalid.offset]
            let sample = headSample + recordBytes
            let hint = sample.withUnsafeBytes { EncodingSniffer.legacyEncodingHint($0) }
            throw fail(.invalidUTF8, at: position, "invalid UTF-8 (byte 0x\(String(bad, radix: 16, uppercase: true)))", hint: hint)
        }
    }

    /// True when no byte has its high bit set.
    static func isASCII(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let base = raw.baseAddress else { return true }
        let n = raw.count
        var i = 0
        var acc: UInt64 = 0
        while i + 8 <= n {
            acc |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            acc |= UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// The record last read by ``nextRaw()``, with its fields as strings.
    func currentRecord() -> CSVRecord {
        var fields: [String] = []
        fields.reserveCapacity(fieldEnds.count)
        recordBytes.withUnsafeBytes { raw in
            var start = 0
            for end in fieldEnds {
                fields.append(String(decoding: UnsafeRawBufferPointer(rebasing: raw[start..<end]), as: UTF8.self))
                start = end
            }
        }
        return CSVRecord(fields: fields, number: recordCount, line: currentLine, positions: fieldStarts)
    }

    /// Calls `body` with the record last read by ``nextRaw()``: its bytes and where each of
    /// its fields ends in them.
    @inline(__always)
    func withRawRecord<R>(_ body: (RawRecord) throws -> R) rethrows -> R {
        try recordBytes.withUnsafeBytes { raw in
            try fieldEnds.withUnsafeBufferPointer { ends in try body(RawRecord(bytes: raw, ends: ends)) }
        }
    }

    /// True when every field of the record last read is empty.
    var rawRecordIsEmpty: Bool { recordBytes.isEmpty }

    /// 1-based number and physical line of the record last read by ``nextRaw()``.
    var rawRecordNumber: Int { recordCount }
    var rawRecordLine: Int { currentLine }
}

/// A record's bytes (fields without delimiters or quotes) and where each field ends; valid
/// only inside ``CSVReader/withRawRecord(_:)``.
struct RawRecord {
    let bytes: UnsafeRawBufferPointer
    let ends: UnsafeBufferPointer<Int>

    /// The bytes of field `i`.
    @inline(__always)
    subscript(_ i: Int) -> UnsafeRawBufferPointer {
        let start = i == 0 ? 0 : ends[i - 1]
        return UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + start }, count: ends[i] - start)
    }
}
