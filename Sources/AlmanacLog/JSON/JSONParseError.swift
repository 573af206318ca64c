/// Why a JSON text was rejected, and where: 1-based line and column (column counts
/// Unicode scalars, so it matches what an editor shows) and the 0-based byte offset.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var offset: Int
    public var reason: String

    public init(line: Int, column: Int, offset: Int, reason: String) {
        self.line = line
        self.column = column
        self.offset = offset
        self.reason = reason
    }

    /// One line: `line 3, column 7 (byte 41): duplicate key "a" in object`.
    public var description: String { "line \(line), column \(column) (byte \(offset)): \(reason)" }
}

/// Limits that bound the work and memory a hostile JSON text can cause.
public struct JSONParseLimits: Sendable, Equatable {
    /// Deepest nesting of arrays and objects; the parser recurses, so this also bounds
    /// the stack it uses.
    public var maxDepth: Int
    /// Largest accepted input, in bytes.
    public var maxBytes: Int

    public init(maxDepth: Int = 64, maxBytes: Int = 256 << 20) {
        self.maxDepth = maxDepth
        self.maxBytes = maxBytes
    }

    public static let `default` = JSONParseLimits()
}
