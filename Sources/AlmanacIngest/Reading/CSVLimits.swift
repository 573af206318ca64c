/// Bounds on what a CSV file may cost: every read is limited so that a hostile or broken
/// file (a gigabyte-long line, a million columns, a huge file) ends in a clear error with
/// memory bounded by these numbers, not by the file.
public struct CSVLimits: Sendable, Equatable {
    /// Longest record, in bytes of field content (1 MiB by default).
    public var recordBytesMax: Int
    /// Most fields in one record.
    public var fieldsMax: Int
    /// Largest file accepted, in bytes.
    public var fileBytesMax: Int64
    /// Size of each read from the file.
    public var chunkBytes: Int

    public init(recordBytesMax: Int = 1 << 20, fieldsMax: Int = 2_000, fileBytesMax: Int64 = 4 << 30, chunkBytes: Int = 64 << 10) {
        precondition(recordBytesMax > 0 && fieldsMax > 0 && fileBytesMax > 0 && chunkBytes >= 16)
        self.recordBytesMax = recordBytesMax
        self.fieldsMax = fieldsMax
        self.fileBytesMax = fileBytesMax
        self.chunkBytes = chunkBytes
    }

    public static let `default` = CSVLimits()
}

/// Where a piece of text begins in a file: 1-based physical line and 1-based column in
/// characters (Unicode scalars) within that line.
public struct TextPosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// One CSV record (a row), with where it and each of its fields begin.
public struct CSVRecord: Sendable, Equatable {
    /// Field texts, unquoted (`""` inside a quoted field becomes `"`), valid UTF-8.
    public var fields: [String]
    /// 1-based count of records read so far, including header and preamble records but
    /// not blank lines.
    public var number: Int
    /// Physical line where the record begins (a quoted field may span several lines).
    public var line: Int
    /// Where each field begins; `positions[i]` belongs to `fields[i]`.
    public var positions: [TextPosition]

    public init(fields: [String], number: Int, line: Int, positions: [TextPosition]) {
        self.fields = fields
        self.number = number
        self.line = line
        self.positions = positions
    }

    /// True when every field is empty (e.g. `;;;`), a row that carries nothing.
    public var isEmpty: Bool { fields.allSatisfy(\.isEmpty) }
}
