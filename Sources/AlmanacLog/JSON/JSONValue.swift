/// A parsed JSON document that keeps everything the text said: numbers as their exact
/// text (never through `Double`), object keys in their original order.
///
/// Keeping number text and key order is what lets Almanac read an agency's JSON, look at
/// the keys it understands, and write the rest back byte-for-byte equivalent (compact).
///
/// Equality is structural and **order-sensitive** for objects: `{"a":1,"b":2}` is not
/// equal to `{"b":2,"a":1}`, because the order is part of what a round trip preserves.
/// Numbers compare by text, so `1.0` is not equal to `1`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written, e.g. `"-0.50"` or `"1e308"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order. Keys are unique (the parser rejects duplicates).
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            guard a.count == b.count else { return false }
            for (x, y) in zip(a, b) where x.key != y.key || x.value != y.value { return false }
            return true
        default: return false
        }
    }
}

// MARK: - Typed accessors

extension JSONValue {
    /// The member named `key` of an object (the first one, keys being unique); `nil` for
    /// a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The element at `index` of an array; `nil` when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case let .array(items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }

    public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }

    /// The number's exact text.
    public var numberText: String? { if case let .number(n) = self { return n } else { return nil } }

    /// The number as an `Int` when its text is an integer that fits (`"12"`, not `"12.0"`).
    public var intValue: Int? { numberText.flatMap { Int($0) } }

    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }

    public var objectValue: [(key: String, value: JSONValue)]? {
        if case let .object(o) = self { return o } else { return nil }
    }

    /// A short name of the value's kind for error messages ("object", "string", ...).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

// MARK: - Serialising

extension JSONValue {
    /// Appends the value as compact JSON (no insignificant whitespace). Number text is
    /// written as stored; strings are escaped by `JSONWriter`.
    public func write(to out: ByteBuffer) {
        switch self {
        case .null: out.append("null")
        case let .bool(b): out.append(b ? "true" : "false")
        case let .number(text): out.append(text)
        case let .string(s): JSONWriter.appendString(s, to: out)
        case let .array(items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONWriter.appendKey(member.key, to: out)
                member.value.write(to: out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The value as compact JSON text.
    public var jsonText: String {
        let out = ByteBuffer(capacity: 256)
        write(to: out)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
