import AlmanacLog

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
        guard !finished else { return nil }
        recordBytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStarts.removeAll(keepingCapacity: true)
        var quotedFields: [Bool] = []
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
                    return try finishRecord(recordStart, quotedFields)
                } else {
                    quotedFields.append(false)
                    state = .unquoted
                    try append(b, recordStart, quoteStart: nil)
                }
            case .unquoted:
                if b == delimiter {
                    try endField(recordStart)
                    state = .fieldStart
                } else if b == lf || b == cr {
                    try endField(recordStart)
                    if b == cr { swallowLF = true }
                    return try finishRecord(recordStart, quotedFields)
                } else if b == quote {
                    throw fail(.strayQuote, at: here, "quote inside an unquoted field",
                               hint: "enclose the whole field in quotes and double the quote inside (\"\")")
                } else {
                    try append(b, recordStart, quoteStart: nil)
                }
            case .quoted:
                if b == quote { state = .quoteSeen } else { try append(b, recordStart, quoteStart: quoteStart) }
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
                    return try finishRecord(recordStart, quotedFields)
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
            return nil
        }
        if state == .fieldStart {
            fieldStarts.append(TextPosition(line: line, column: column))
            quotedFields.append(false)
        }
        try endField(recordStart)
        let record = try finishRecord(recordStart, quotedFields)
        finished = true
        return record
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

    /// Turns the collected bytes into a record: validates UTF-8 per field and checks
    /// the width against `expectedFieldCount`.
    private func finishRecord(_ recordStart: TextPosition, _ quoted: [Bool]) throws(IngestError) -> CSVRecord {
        recordCount += 1
        if let expected = expectedFieldCount, fieldEnds.count != expected {
            let headerAt = headerLine.map { " (line \($0))" } ?? ""
            throw fail(.raggedRow, at: recordStart, "record has \(fieldEnds.count) fields, header\(headerAt) has \(expected)",
                       hint: "check for a missing or extra delimiter, or a quote that is not closed")
        }
        var fields: [String] = []
        fields.reserveCapacity(fieldEnds.count)
        var invalid: (field: Int, offset: Int)?
        recordBytes.withUnsafeBytes { raw in
            var start = 0
            for (i, end) in fieldEnds.enumerated() {
                let slice = UnsafeRawBufferPointer(rebasing: raw[start..<end])
                if invalid == nil, let bad = UTF8Validator.firstInvalid(slice) { invalid = (i, bad) }
                fields.append(String(decoding: slice, as: UTF8.self))
                start = end
            }
        }
        if let invalid {
            let fieldStart = invalid.field == 0 ? 0 : fieldEnds[invalid.field - 1]
            var position = fieldStarts[invalid.field]
            if quoted[invalid.field] { position.column += 1 }
            for i in fieldStart..<(fieldStart + invalid.offset) {
                let b = recordBytes[i]
                if b == lf { position.line += 1; position.column = 1 } else if b & 0xC0 != 0x80 { position.column += 1 }
            }
            let bad = recordBytes[fieldStart + invalid.offset]
            let sample = headSample + recordBytes
            let hint = sample.withUnsafeBytes { EncodingSniffer.legacyEncodingHint($0) }
            throw fail(.invalidUTF8, at: position, "invalid UTF-8 (byte 0x\(String(bad, radix: 16, uppercase: true)))", hint: hint)
        }
        return CSVRecord(fields: fields, number: recordCount, line: recordStart.line, positions: fieldStarts)
    }
}
