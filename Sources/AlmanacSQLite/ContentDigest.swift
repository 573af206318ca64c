import CSQLite

/// A stable 64-bit FNV-1a digest of query results, to compare a read model with a rebuild.
///
/// **Algorithm.** FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3),
/// over this byte encoding, in row order:
///
/// | item | bytes |
/// | --- | --- |
/// | each table (`digest(tables:)` only) | `T`, name length (u64 LE), UTF-8 name |
/// | each column name | `C`, length (u64 LE), UTF-8 name |
/// | each row | `R`, then each value |
/// | NULL | `0x00` |
/// | integer | `0x01`, the Int64 (LE) |
/// | real | `0x02`, the IEEE 754 bit pattern (u64 LE) |
/// | text | `0x03`, byte length (u64 LE), UTF-8 bytes |
/// | blob | `0x04`, byte length (u64 LE), bytes |
///
/// The encoding is unambiguous (tags and lengths), so equal digests mean equal content
/// with overwhelming probability **for accidental differences**. FNV is not a
/// cryptographic hash: it detects bugs, not tampering. Integer 1 and real 1.0 differ;
/// 0.0 and -0.0 differ.
public struct ContentDigest: Sendable, Hashable, CustomStringConvertible {
    /// The 64-bit FNV-1a value.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    /// How many rows went into the digest.
    public private(set) var rowCount = 0

    /// The empty digest.
    public init() {}

    /// The value as 16 lower-case hexadecimal digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `fnv1a64:<hex> (<n> rows)`.
    public var description: String { "fnv1a64:\(hex) (\(rowCount) rows)" }

    @inline(__always)
    mutating func add(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    mutating func add(_ integer: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { add(byte: UInt8(truncatingIfNeeded: integer >> UInt64(shift))) }
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        add(UInt64(bytes.count))
        for byte in bytes { add(byte: byte) }
    }

    mutating func add(tag: Character, text: String) {
        add(byte: tag.asciiValue!)
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Adds the current row of `statement`, reading values in place (no copies).
    mutating func addRow(of statement: Statement) {
        add(byte: UInt8(ascii: "R"))
        rowCount += 1
        for column in 0..<statement.columnCount {
            switch statement.columnType(at: column) {
            case .null:
                add(byte: 0)
            case .integer:
                add(byte: 1)
                add(UInt64(bitPattern: statement.int64(at: column)))
            case .real:
                add(byte: 2)
                add(statement.double(at: column).bitPattern)
            case .text:
                add(byte: 3)
                statement.withUnsafeUTF8(at: column) { add(UnsafeRawBufferPointer($0 ?? UnsafeBufferPointer(start: nil, count: 0))) }
            case .blob:
                add(byte: 4)
                statement.withUnsafeBlob(at: column) { add($0 ?? UnsafeRawBufferPointer(start: nil, count: 0)) }
            }
        }
    }
}

extension Database {
    /// The digest of a query's column names and rows, in the order the query returns them.
    ///
    /// Give the query an ORDER BY that makes the order total, or equal content may digest
    /// differently.
    public func contentDigest(query: String, arguments: [SQLValue] = []) throws -> ContentDigest {
        var digest = ContentDigest()
        let statement = try prepare(query)
        try statement.bind(arguments)
        for name in statement.columnNames { digest.add(tag: "C", text: name) }
        try statement.forEachRow { digest.addRow(of: $0) }
        return digest
    }

    /// The digest of whole tables: for each table in the order given, its name, its column
    /// names, and its rows ordered by every column (binary collation), so the digest
    /// depends on content only, not on rowids or insertion order.
    public func digest(tables: [String]) throws -> ContentDigest {
        var digest = ContentDigest()
        for table in tables {
            digest.add(tag: "T", text: table)
            let quotedTable = Database.quoteIdentifier(table)
            let columns = try prepare("SELECT * FROM \(quotedTable)").columnNames
            let order = columns.map { "\(Database.quoteIdentifier($0)) COLLATE BINARY" }.joined(separator: ", ")
            let statement = try prepare("SELECT * FROM \(quotedTable)" + (order.isEmpty ? "" : " ORDER BY \(order)"))
            for name in statement.columnNames { digest.add(tag: "C", text: name) }
            try statement.forEachRow { digest.addRow(of: $0) }
        }
        return digest
    }
}
