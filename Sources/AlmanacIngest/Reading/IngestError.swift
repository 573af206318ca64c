/// A problem with an agency file, located so that a person can find it: file name, line,
/// column, what is wrong and, when we can guess, what to do about it.
///
/// `description` is one line in the style of compiler diagnostics:
/// `budget.csv:14:3: record has 5 fields, header has 4; check for a missing quote`.
/// The file name is a display name only (the last path component); it is never used to
/// open anything.
public struct IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem this is, for programs that react to it (quarantine reports,
    /// tests); people read `reason`.
    public enum Kind: String, Sendable, Equatable {
        case io, fileTooLarge, emptyFile, headerOnly
        case utf16, invalidUTF8, nulByte
        case unbalancedQuote, strayQuote, raggedRow, recordTooLong, tooManyFields
        case missingColumn, duplicateColumn, unnamedColumn
        case invalidJSON, invalidStructure, invalidMapping, unmappedRow, unknownFormat
    }

    public var kind: Kind
    /// Display name of the file (never a path to trust).
    public var file: String
    /// 1-based physical line, or `nil` when the problem concerns the whole file.
    public var line: Int?
    /// 1-based column in characters (Unicode scalars) within the line, or `nil`.
    public var column: Int?
    public var reason: String
    public var hint: String?

    public init(_ kind: Kind, file: String, line: Int? = nil, column: Int? = nil, reason: String, hint: String? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
        self.hint = hint
    }

    /// `file:line:column: reason; hint` with the parts that are known.
    public var description: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        s += ": " + reason
        if let hint { s += "; " + hint }
        return s
    }
}
