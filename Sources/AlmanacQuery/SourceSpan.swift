/// Where a piece of a query was written.
///
/// Offsets, columns and lengths count `Character`s (extended grapheme clusters), not bytes,
/// so a caret under `Thái Nguyên` lines up however the text was normalised. Lines and
/// columns start at 1; the offset starts at 0. A span may cross lines (a whole step written
/// over two lines); diagnostics underline only its first line.
public struct SourceSpan: Sendable, Hashable, CustomStringConvertible {
    /// Characters before the start of the span.
    public var offset: Int
    /// The line of the first character, from 1.
    public var line: Int
    /// The column of the first character on its line, from 1.
    public var column: Int
    /// How many characters the span covers; 0 for a position (the end of the query).
    public var length: Int

    /// A span from its parts.
    public init(offset: Int, line: Int, column: Int, length: Int) {
        self.offset = offset
        self.line = line
        self.column = column
        self.length = length
    }

    /// The offset just past the last character.
    public var end: Int { offset + length }

    /// The span from the start of `self` to the end of `other` (which must not start earlier).
    public func through(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(offset: offset, line: line, column: column, length: max(length, other.end - offset))
    }

    /// `line:column+length`, for test failures and debugging.
    public var description: String { "\(line):\(column)+\(length)" }
}

/// A value of the syntax tree together with the span it was written at.
///
/// Two located values are equal when their values are equal, wherever they were written:
/// `parse(print(query)) == query` must hold although printing moves everything. Tests that
/// care about positions compare `span` explicitly.
public struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The node.
    public var value: Value
    /// Where the node was written.
    public var span: SourceSpan

    /// A node at a span.
    public init(_ value: Value, at span: SourceSpan) {
        self.value = value
        self.span = span
    }

    /// Equality of the values only; spans are ignored (see the type's discussion).
    public static func == (lhs: Located, rhs: Located) -> Bool { lhs.value == rhs.value }

    /// Hashes the value only, consistently with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
