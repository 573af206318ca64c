/// Cuts a query into tokens.
///
/// Whitespace, newlines and `#` comments separate tokens and are otherwise dropped: a step
/// ends at the next `|`, wherever the line breaks, so a pipeline may continue on the next
/// line with a leading `|`. Lexing stops at the first error.
///
/// - Identifiers start with a letter or `_` and go on with letters, digits and `_`; a `.`
///   joins them when followed by a letter, `_` or `*`, and after a `.` a `*` is a glob
///   (`cpi.index`, `budget.*`). So `a*b` is a product but `budget.*` a pattern.
/// - Four digits followed by `-` and a letter or digit start a period literal, read up to the
///   next character that is not a letter, digit or `-` (`2021-Q3`, `2021-07-12`). Write
///   arithmetic on years with spaces (`2021 - 7`).
/// - `@` and digits is a log position.
public struct Lexer {
    /// The characters of the query; spans index into this array.
    let characters: [Character]
    var index = 0
    var line = 1
    var column = 1

    /// Queries longer than this are refused before lexing: one line for a question, a page
    /// for a saved report, never megabytes.
    public static let queryCharactersMax = 100_000

    /// A lexer over a query's text.
    public init(_ source: String) {
        characters = Array(source)
    }

    /// Every token of the query, ending with one `.end` token.
    ///
    /// - Throws: ``QueryError`` of kind `lexical` for the first piece of text that is not a token.
    public static func tokenize(_ source: String) throws(QueryError) -> [Token] {
        var lexer = Lexer(source)
        return try lexer.tokenize()
    }

    /// Every token of the query, ending with one `.end` token.
    public mutating func tokenize() throws(QueryError) -> [Token] {
        if characters.count > Self.queryCharactersMax {
            throw QueryError(.lexical, at: SourceSpan(offset: 0, line: 1, column: 1, length: 1),
                             "the query is \(characters.count) characters long; the limit is \(Self.queryCharactersMax)")
        }
        var tokens: [Token] = []
        while let token = try next() {
            tokens.append(token)
        }
        tokens.append(Token(.end, at: SourceSpan(offset: index, line: line, column: column, length: 0)))
        return tokens
    }

    // MARK: - Scanning

    func peek(_ ahead: Int = 0) -> Character? {
        index + ahead < characters.count ? characters[index + ahead] : nil
    }

    mutating func advance() {
        if characters[index].isNewline {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    /// A span from a remembered start to the current position.
    func span(from start: (offset: Int, line: Int, column: Int)) -> SourceSpan {
        SourceSpan(offset: start.offset, line: start.line, column: start.column, length: index - start.offset)
    }

    var mark: (offset: Int, line: Int, column: Int) { (index, line, column) }

    /// The next token, or nil at the end of the query.
    mutating func next() throws(QueryError) -> Token? {
        skipBlanksAndComments()
        guard let c = peek() else { return nil }
        let start = mark
        if c.isLetter || c == "_" { return identifier(from: start) }
        if c.isASCII, c.isNumber { return try numberOrPeriod(from: start) }
        if c == "\"" { return try string(from: start) }
        if c == "@" { return try position(from: start) }
        return try symbol(from: start)
    }

    mutating func skipBlanksAndComments() {
        while let c = peek() {
            if c == "#" {
                while let d = peek(), !d.isNewline { advance() }
            } else if c.isWhitespace {
                advance()
            } else {
                return
            }
        }
    }

    mutating func identifier(from start: (offset: Int, line: Int, column: Int)) -> Token {
        var text = ""
        var dotted = false
        while let c = peek() {
            if c.isLetter || c.isNumber || c == "_" || (c == "*" && dotted) {
                text.append(c)
                advance()
            } else if c == ".", let d = peek(1), d.isLetter || d == "_" || d == "*" {
                dotted = true
                text.append(c)
                advance()
            } else {
                break
            }
        }
        if let keyword = Keyword(rawValue: text) {
            return Token(.keyword(keyword), at: span(from: start))
        }
        return Token(.identifier(text), at: span(from: start))
    }

    mutating func position(from start: (offset: Int, line: Int, column: Int)) throws(QueryError) -> Token {
        advance()
        var digits = ""
        while let c = peek(), c.isASCII, c.isNumber {
            digits.append(c)
            advance()
        }
        guard !digits.isEmpty, let value = UInt64(digits) else {
            throw QueryError(.lexical, at: span(from: start), "\"@\" must be followed by a log position (a sequence number)",
                             hints: ["write a log position like @12345"])
        }
        return Token(.position(value), at: span(from: start))
    }
}
