/// One SQLite value: the five storage classes, as bound to a parameter or read from a column.
///
/// `SQLValue` is the slow, convenient path (arrays of values for `Statement.bind(_:)`,
/// `Statement.rows()` and error reports). Hot loops should use the typed binders and
/// column readers of `Statement`, which never build a `SQLValue`.
///
/// SQLite has no NaN: binding `.real(.nan)` stores NULL.
public enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text.
    case text(String)
    /// Bytes, stored as they are.
    case blob([UInt8])

    /// Whether the value is SQL NULL.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The storage class of the value.
    public var type: SQLColumnType {
        switch self {
        case .null: .null
        case .integer: .integer
        case .real: .real
        case .text: .text
        case .blob: .blob
        }
    }
}

/// The storage class of a value in SQLite (`sqlite3_column_type`).
public enum SQLColumnType: Sendable, Hashable {
    case integer, real, text, blob, null
}

extension SQLValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension SQLValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension SQLValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .real(value) }
}

extension SQLValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
}

extension SQLValue: CustomStringConvertible {
    /// The value as SQL would spell it: `NULL`, `42`, `1.5`, `'it''s'`, `X'00FF'`.
    ///
    /// Used in error messages only; never paste it into SQL to run (bind instead).
    public var description: String {
        switch self {
        case .null:
            return "NULL"
        case .integer(let value):
            return String(value)
        case .real(let value):
            return String(value)
        case .text(let value):
            return "'" + value.replacingAll("'", with: "''") + "'"
        case .blob(let bytes):
            let digits: [Character] = Array("0123456789ABCDEF")
            var hex = "X'"
            hex.reserveCapacity(bytes.count * 2 + 3)
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0F)])
            }
            return hex + "'"
        }
    }
}

extension String {
    /// The string with every `target` character replaced (no Foundation in this module).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
