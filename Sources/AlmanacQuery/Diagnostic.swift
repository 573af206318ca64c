/// Draws a ``QueryError`` the way compilers do: the reason, the position, the line of the
/// query with a caret under the offending text, then the hints.
///
/// ```
/// error: unknown step "grwoth"
///   --> line 1, column 32
///    |
///  1 | from cpi.index | during 2021 | grwoth yoy
///    |                                ^^^^^^
///    = hint: did you mean "growth"?
/// ```
///
/// The gutter grows with the number of digits of the line number. Tabs in the query are
/// shown as single spaces so the caret stays under the text (columns count characters).
/// A span longer than its line is cut at the end of the line; an empty span (the end of the
/// query) still gets one caret.
public enum Diagnostic {
    /// The error rendered against the query it came from, lines joined with `\n`, no final newline.
    ///
    /// - Parameters:
    ///   - error: The error to draw.
    ///   - source: The full text of the query the span refers to.
    /// - Returns: The message, several lines.
    public static func render(_ error: QueryError, source: String) -> String {
        let lines = splitLines(source)
        let lineIndex = min(max(error.span.line, 1), max(lines.count, 1)) - 1
        let text = lines.isEmpty ? "" : lines[lineIndex]
        let shown = String(text.map { $0 == "\t" ? " " : $0 })
        let number = String(lineIndex + 1)
        let pad = String(repeating: " ", count: number.count + 1)
        let column = min(max(error.span.column, 1), shown.count + 1)
        let room = shown.count - (column - 1)
        let carets = max(1, min(error.span.length, room))
        var out = ["error: \(error.reason)"]
        out.append("\(pad)--> line \(lineIndex + 1), column \(column)")
        out.append("\(pad) |")
        out.append(" \(number) | \(shown)".trailingSpacesRemoved)
        out.append("\(pad) | " + String(repeating: " ", count: column - 1) + String(repeating: "^", count: carets))
        for hint in error.hints {
            out.append("\(pad) = hint: \(hint)")
        }
        return out.joined(separator: "\n")
    }

    /// The lines of `source`, without their terminators; `\r\n` (one `Character`) counts as one break.
    static func splitLines(_ source: String) -> [String] {
        source.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }
}

extension String {
    /// The string without spaces at its end, so rendered lines have no trailing blanks.
    var trailingSpacesRemoved: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
