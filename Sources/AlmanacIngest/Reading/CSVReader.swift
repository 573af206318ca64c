/// A streaming RFC 4180 reader: yields one record at a time from a file read in chunks,
/// so memory stays bounded by `CSVLimits` whatever the file's size.
///
/// Accepted: a UTF-8 byte order mark (skipped), quoted fields with doubled quotes and
/// embedded line breaks, CRLF, LF, lone CR and any mix of them, blank lines (skipped),
/// and `,` `;` or TAB as delimiter (detected from the first line that has one outside
/// quotes, or given). Refused with an `IngestError` naming file, line and column:
/// UTF-16, invalid UTF-8 (with a guess at the legacy encoding), NUL bytes, a quote that
/// is never closed (located where the quoted field began), a quote inside an unquoted
/// field or text after a closing quote, records longer than the limit or with too many
/// fields, ragged rows once `expectedFieldCount` is set, and files over the size limit.
///
/// Not thread-safe: one reader, one consumer. After an error the reader is finished.
public final class CSVReader {
    public var fileName: String { source.displayName }
    /// The field delimiter in use.
    public private(set) var delimiter: UInt8 = UInt8(ascii: ",")
    /// When set (normally to the header's width), every later record must have exactly
    /// this many fields.
    @exclusivity(unchecked) public var expectedFieldCount: Int?
    /// Physical line of the header, for the ragged-row message.
    public var headerLine: Int?
    public let limits: CSVLimits
    /// True when the file began with a UTF-8 byte order mark.
    public private(set) var hadByteOrderMark = false

    // The state below is read and written for every byte: class properties pay a dynamic
    // exclusivity check on each access unless told not to (one reader, one consumer).
    let source: ByteSource
    @exclusivity(unchecked) var chunk: UnsafeMutableRawBufferPointer
    @exclusivity(unchecked) var chunkCount = 0
    @exclusivity(unchecked) var chunkPos = 0
    @exclusivity(unchecked) var atEOF = false
    @exclusivity(unchecked) var bytesRead: Int64 = 0
    /// Position of the next byte to read.
    @exclusivity(unchecked) var line = 1
    @exclusivity(unchecked) var column = 1
    @exclusivity(unchecked) var previousWasCR = false
    /// Set after a record ended on CR: a following LF belongs to the same line break.
    @exclusivity(unchecked) var swallowLF = false
    @exclusivity(unchecked) var recordCount = 0
    @exclusivity(unchecked) var finished = false
    /// The first chunk as read, kept for encoding guesses in error hints.
    @exclusivity(unchecked) var headSample: [UInt8] = []
    // Record under construction, reused between records.
    @exclusivity(unchecked) var recordBytes: [UInt8] = []
    @exclusivity(unchecked) var fieldEnds: [Int] = []
    @exclusivity(unchecked) var fieldStarts: [TextPosition] = []
    @exclusivity(unchecked) var quotedFields: [Bool] = []
    /// Whether `quotedFields` may hold a `true` (set by the general reader).
    @exclusivity(unchecked) var quotedFieldsDirty = true
    /// Offsets of the delimiters of a simple record, in the chunk.
    @exclusivity(unchecked) var delimiterOffsets: [Int] = []
    /// Physical line where the record last read began.
    @exclusivity(unchecked) var currentLine = 0

    /// Opens a reader over `source`.
    ///
    /// - Parameters:
    ///   - source: the bytes to read.
    ///   - delimiter: the field delimiter, or `nil` to detect `,` `;` or TAB.
    ///   - limits: bounds on record size, field count and file size.
    /// - Throws: `IngestError` for UTF-16 or a file over the size limit (an empty file is
    ///   reported by the first `next()`).
    public init(source: ByteSource, delimiter: UInt8? = nil, limits: CSVLimits = .default) throws(IngestError) {
        self.source = source
        self.limits = limits
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: limits.chunkBytes, alignment: 16)
        // Every stored property is initialised by now, so `deinit` frees `chunk` on any
        // throw below; never free it here.
        if let size = source.knownSize, size > limits.fileBytesMax {
            finished = true
            throw IngestError(.fileTooLarge, file: source.displayName,
                              reason: "file is \(size) bytes, more than the limit of \(limits.fileBytesMax)")
        }
        try fill()
        let head = UnsafeRawBufferPointer(rebasing: chunk[0..<chunkCount])
        headSample = Array(head)
        var detected: UInt8 = delimiter ?? UInt8(ascii: ",")
        var failure: IngestError?
        if EncodingSniffer.looksLikeUTF16(head) {
            failure = IngestError(.utf16, file: source.displayName, line: 1, column: 1,
                                  reason: "file is UTF-16; save it as UTF-8")
        } else {
            if chunkCount >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF {
                chunkPos = 3
                hadByteOrderMark = true
            }
            if delimiter == nil {
                detected = CSVReader.detectDelimiter(UnsafeRawBufferPointer(rebasing: head[chunkPos...]))
            }
        }
        self.delimiter = detected
        if let failure {
            finished = true
            throw failure
        }
    }

    /// Opens `path` and a reader over it.
    public convenience init(path: String, displayName: String? = nil, delimiter: UInt8? = nil, limits: CSVLimits = .default) throws(IngestError) {
        try self.init(source: try ByteSource(path: path, displayName: displayName), delimiter: delimiter, limits: limits)
    }

    deinit { chunk.deallocate() }

    /// Picks `,` `;` or TAB: the most frequent of the three outside quotes on the first
    /// line that has any (a PX-Web title line has none, its header line has `;`).
    /// Defaults to `,`.
    static func detectDelimiter(_ head: UnsafeRawBufferPointer) -> UInt8 {
        var counts = [0, 0, 0]
        var inQuotes = false
        for b in head {
            if b == UInt8(ascii: "\"") { inQuotes.toggle(); continue }
            if inQuotes { continue }
            switch b {
            case UInt8(ascii: ","): counts[0] += 1
            case UInt8(ascii: ";"): counts[1] += 1
            case 0x09: counts[2] += 1
            case 0x0A, 0x0D:
                if counts != [0, 0, 0] { return pick(counts) }
            default: break
            }
        }
        return pick(counts)
    }

    private static func pick(_ counts: [Int]) -> UInt8 {
        if counts[1] > counts[0] && counts[1] >= counts[2] { return UInt8(ascii: ";") }
        if counts[2] > counts[0] && counts[2] > counts[1] { return 0x09 }
        return UInt8(ascii: ",")
    }

    /// Refills the chunk; sets `atEOF` when the source is exhausted.
    func fill() throws(IngestError) {
        chunkPos = 0
        chunkCount = try source.read(into: chunk)
        if chunkCount == 0 { atEOF = true; return }
        bytesRead += Int64(chunkCount)
        if bytesRead > limits.fileBytesMax {
            finished = true
            throw IngestError(.fileTooLarge, file: source.displayName,
                              reason: "file is more than the limit of \(limits.fileBytesMax) bytes")
        }
    }

    /// Builds an error at a position, marking the reader finished.
    func fail(_ kind: IngestError.Kind, at position: TextPosition, _ reason: String, hint: String? = nil) -> IngestError {
        finished = true
        return IngestError(kind, file: source.displayName, line: position.line, column: position.column, reason: reason, hint: hint)
    }
}
