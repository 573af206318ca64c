/// Numbers, period literals, strings and symbols.
extension Lexer {
    static let periodHint = "periods are written 2021, 2021-H1, 2021-Q3 or 2021-07 (SDMX 2021-S1, 2021-M07, 2021-A1); dates 2021-07-12"

    mutating func numberOrPeriod(from start: (offset: Int, line: Int, column: Int)) throws(QueryError) -> Token {
        var digits = ""
        while let c = peek(), c.isASCII, c.isNumber {
            digits.append(c)
            advance()
        }
        if digits.count == 4, peek() == "-", let d = peek(1), d.isASCII, d.isLetter || d.isNumber {
            advance()
            var body = ""
            while let c = peek(), c.isASCII, c.isLetter || c.isNumber || c == "-" {
                body.append(c)
                advance()
            }
            return try periodLiteral(year: Int(digits)!, body: body, span: span(from: start))
        }
        var text = digits
        if peek() == ".", let d = peek(1), d.isASCII, d.isNumber {
            text.append(".")
            advance()
            while let c = peek(), c.isASCII, c.isNumber {
                text.append(c)
                advance()
            }
        }
        if let c = peek(), c.isLetter || c == "_" {
            while let c = peek(), c.isLetter || c.isNumber || c == "_" { advance() }
            var hints: [String] = []
            if digits.count == 4, text == digits { hints.append("a period needs a dash: 2021-H1, 2021-Q3") }
            throw QueryError(.lexical, at: span(from: start), "a number cannot run into a word", hints: hints)
        }
        return Token(.number(text), at: span(from: start))
    }

    /// Reads what follows `YYYY-` in a period or date literal.
    func periodLiteral(year: Int, body: String, span: SourceSpan) throws(QueryError) -> Token {
        let written = "\(year)-\(body)"
        func bad(_ why: String) -> QueryError {
            QueryError(.lexical, at: span, "bad period literal \"\(written)\": \(why)", hints: [Self.periodHint])
        }
        let upper = Array(body.uppercased())
        let rest = String(upper.dropFirst())
        let number = rest.allSatisfy(\.isNumber) && !rest.isEmpty ? Int(rest) : nil
        switch upper.first {
        case "H", "S":
            guard let half = number, rest.count == 1, (1...2).contains(half) else { throw bad("a half is H1 or H2") }
            return Token(.period(.half(year: year, half: half)), at: span)
        case "Q":
            guard let quarter = number, rest.count == 1, (1...4).contains(quarter) else { throw bad("a quarter is Q1 to Q4") }
            return Token(.period(.quarter(year: year, quarter: quarter)), at: span)
        case "A":
            guard rest == "1" else { throw bad("a year in SDMX form is A1") }
            return Token(.period(.year(year)), at: span)
        case "M":
            guard let month = number, rest.count == 2, (1...12).contains(month) else { throw bad("a month is M01 to M12") }
            return Token(.period(.month(year: year, month: month)), at: span)
        case let first? where first.isNumber:
            let parts = body.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }), parts.count <= 2 else {
                if parts.count == 1, parts[0].count == 1 {
                    throw bad("a month has two digits, like \(year)-0\(parts[0])")
                }
                throw bad("expected a month (\(year)-07) or a date (\(year)-07-12)")
            }
            let month = Int(parts[0])!
            guard (1...12).contains(month) else { throw bad("a month is 01 to 12") }
            guard parts.count == 2 else { return Token(.period(.month(year: year, month: month)), at: span) }
            let day = Int(parts[1])!
            let days = DateLiteral.daysIn(month: month, year: year)
            guard (1...days).contains(day) else {
                throw bad("\(PeriodLiteral.month(year: year, month: month)) has \(days) days")
            }
            return Token(.date(DateLiteral(year: year, month: month, day: day)), at: span)
        default:
            throw bad("\"\(body)\" is not a half, quarter or month")
        }
    }

    mutating func string(from start: (offset: Int, line: Int, column: Int)) throws(QueryError) -> Token {
        advance()
        var text = ""
        while true {
            guard let c = peek(), !c.isNewline else {
                throw QueryError(.lexical, at: span(from: start), "unterminated string",
                                 hints: ["close the string with \" on the same line"])
            }
            advance()
            if c == "\"" { return Token(.string(text), at: span(from: start)) }
            if c != "\\" {
                text.append(c)
                continue
            }
            let escape = (offset: index - 1, line: line, column: column - 1)
            guard let e = peek(), !e.isNewline else { continue }
            advance()
            switch e {
            case "\"": text.append("\"")
            case "\\": text.append("\\")
            case "n": text.append("\n")
            case "t": text.append("\t")
            case "u":
                text.append(try unicodeEscape(from: escape))
            default:
                throw QueryError(.lexical, at: span(from: escape), "unknown escape \"\\\(e)\" in a string",
                                 hints: ["escapes are \\\" \\\\ \\n \\t and \\u{1EA1}"])
            }
        }
    }

    /// The rest of `\u{…}` after the `u`.
    mutating func unicodeEscape(from escape: (offset: Int, line: Int, column: Int)) throws(QueryError) -> Character {
        var hex = ""
        if peek() == "{" {
            advance()
            while let c = peek(), c.isHexDigit, hex.count < 8 {
                hex.append(c)
                advance()
            }
            if peek() == "}" {
                advance()
                if let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) {
                    return Character(scalar)
                }
            }
        }
        throw QueryError(.lexical, at: span(from: escape), "bad unicode escape in a string",
                         hints: ["write a code point in hexadecimal, like \\u{1EA1}"])
    }

    mutating func symbol(from start: (offset: Int, line: Int, column: Int)) throws(QueryError) -> Token {
        let c = peek()!
        let pair = peek(1).map { String(c) + String($0) } ?? String(c)
        let mistakes: [String: (reason: String, hint: String)] = [
            "==": ("\"==\" is not an operator", "compare with a single \"=\""),
            "<>": ("\"<>\" is not an operator", "write \"!=\" for not equal"),
            "&&": ("\"&&\" is not an operator", "write \"and\""),
            "||": ("\"||\" is not an operator", "write \"or\"; a single \"|\" separates steps"),
        ]
        if let mistake = mistakes[pair] {
            advance()
            advance()
            throw QueryError(.lexical, at: span(from: start), mistake.reason, hints: [mistake.hint])
        }
        if let symbol = Symbol(rawValue: pair), pair.count == 2 {
            advance()
            advance()
            return Token(.symbol(symbol), at: span(from: start))
        }
        advance()
        if let symbol = Symbol(rawValue: String(c)) {
            return Token(.symbol(symbol), at: span(from: start))
        }
        let hints: [String]
        switch c {
        case "'", "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}": hints = ["strings are written in straight double quotes: \"food\""]
        case "!": hints = ["write \"!=\" for not equal, \"not\" for negation"]
        case "&": hints = ["write \"and\""]
        case ".": hints = ["a range is written with two dots: 2021-01..2021-06"]
        default: hints = []
        }
        throw QueryError(.lexical, at: span(from: start), "unexpected character \"\(c)\"", hints: hints)
    }
}
