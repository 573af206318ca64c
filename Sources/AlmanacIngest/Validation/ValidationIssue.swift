/// One problem found in an agency file, located so that the person fixing the spreadsheet
/// can find it: file, line, column and header, the offending text, what is wrong and what
/// to write instead.
///
/// `description` is one line in the style of compiler diagnostics:
/// `budget.csv:14:3 (region): unknown region "Thai Ngyen"; did you mean "Thái Nguyên" (19)?`
///
/// Message and hint never contain line breaks or control characters (they are escaped on
/// creation), so a report of one issue per line cannot be broken up by a hostile cell.
/// Quoted cell text is cut to ``ValidationText/quotedCharactersMax`` characters.
public struct ValidationIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Display name of the file (never a path to trust).
    public var file: String
    /// The physical line the row began on, or nil when the issue concerns the whole file
    /// or the format has no lines (SDMX-JSON; see ``path``).
    public var line: Int?
    /// 1-based spreadsheet column number when known. For reader errors (encoding,
    /// structure) this is the reader's character column within the line instead.
    public var column: Int?
    /// The column's header as written in the file (`region`, `REF_AREA`), when known.
    public var field: String?
    /// The offending text as written (unescaped; renderers escape it), cut to
    /// ``valueCharactersMax`` characters so a megabyte cell cannot bloat a report.
    public var value: String?
    /// A stable machine code: `unknown_region`, `bad_period`, `unit_mismatch`, …
    /// (see ``SubmissionValidator`` for the full list).
    public var code: String
    /// One clear sentence.
    public var message: String
    /// What to write instead, when there is something useful to say.
    public var hint: String?
    /// For messages without lines (SDMX-JSON): where in the message, e.g.
    /// `dataSets[0].series["0:1"].observations["3"]`.
    public var path: String?

    /// Longest ``value`` kept, in characters.
    public static let valueCharactersMax = 256

    /// Creates an issue; message and hint are made single-line.
    /// The file holds more rows than one submission may (`too_many_rows`, file-level),
    /// found at the row at `location`.
    static func tooManyRows(at location: SourceLocation, max: Int) -> ValidationIssue {
        ValidationIssue(file: location.file, line: location.line, code: "too_many_rows",
                        message: "file has more than \(max) rows", hint: "split it into several files", path: location.path)
    }

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, value: String? = nil,
                code: String, message: String, hint: String? = nil, path: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.value = value.map { String($0.prefix(ValidationIssue.valueCharactersMax)) }
        self.code = code
        self.message = ValidationText.singleLine(message)
        self.hint = hint.map(ValidationText.singleLine)
        self.path = path
    }

    /// `file:line:column (field): message; hint`, with the parts that are known.
    public var description: String {
        var s = ValidationText.singleLine(file)
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        } else if let path {
            s += " " + ValidationText.singleLine(path)
        }
        if let field { s += " (\(ValidationText.singleLine(field)))" }
        s += ": " + message
        if let hint { s += "; " + hint }
        return s
    }
}

/// Quoting and escaping of agency text inside messages.
///
/// A cell may hold anything: a formula (`=HYPERLINK(…)`), a line break, a right-to-left
/// override that reorders what a reader sees, a gigabyte of text. Messages quote cells
/// through ``quote(_:)`` so each stays inert, visible and short; nothing is evaluated.
public enum ValidationText {
    /// Longest cell text quoted in a message, in characters; longer text is cut with `…`.
    public static let quotedCharactersMax = 64

    /// `"text"` with `"` and `\` escaped, invisible and control characters written as
    /// `\u{…}`, cut to ``quotedCharactersMax`` characters.
    public static func quote(_ text: String) -> String {
        var cut = String(text.prefix(quotedCharactersMax))
        let truncated = cut.count < text.count
        cut = escape(cut, quotes: true)
        return "\"" + cut + (truncated ? "…" : "") + "\""
    }

    /// `text` with line breaks, control, bidirectional and zero-width characters escaped.
    public static func singleLine(_ text: String) -> String { escape(text, quotes: false) }

    private static func escape(_ text: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"" where quotes: out += "\\\""
            case "\\" where quotes: out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isHidden(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Control characters, bidirectional controls, zero-width characters and the BOM.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2069, 0xFEFF, 0xFFF9...0xFFFB:
            return true
        default:
            return false
        }
    }
}
