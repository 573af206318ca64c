import AlmanacDomain

/// Builds the syntax tree of a query from its tokens by recursive descent.
///
/// The grammar, one production per method (steps in `Parser+Steps.swift`, expressions in
/// `Parser+Expression.swift`):
///
/// ```
/// query     = "from" indicator { "," indicator } { "|" step }
/// indicator = NAME [ "(" filter { "," filter } ")" ]
/// filter    = NAME ( "=" value | "in" "(" value { "," value } ")" )
/// ```
///
/// Parsing stops at the first error. Errors point at the offending token; a missing
/// argument points at the word that needed it, an unclosed parenthesis at the `(`.
struct Parser {
    let tokens: [Token]
    var position = 0
    /// Operands read so far, against ``operandsMax``.
    var operands = 0

    /// A parser over the tokens of `text`.
    init(_ text: String) throws(QueryError) {
        tokens = try Lexer.tokenize(text)
    }

    // MARK: - Token access

    var current: Token { tokens[position] }
    var previous: Token { tokens[max(position - 1, 0)] }
    var next: Token { tokens[min(position + 1, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func isSymbol(_ symbol: Symbol, _ token: Token? = nil) -> Bool {
        (token ?? current).kind == .symbol(symbol)
    }

    func isKeyword(_ keyword: Keyword, _ token: Token? = nil) -> Bool {
        (token ?? current).kind == .keyword(keyword)
    }

    /// Whether the current token is the identifier `word`.
    func isWord(_ word: String) -> Bool {
        current.kind == .identifier(word)
    }

    /// Consumes the symbol if it is next.
    mutating func take(_ symbol: Symbol) -> Token? {
        isSymbol(symbol) ? advance() : nil
    }

    /// Whether the current step has ended: a `|` or the end of the query follows.
    var atStepEnd: Bool {
        isSymbol(.pipe) || current.kind == .end
    }

    /// An error at the current token: `expected <what>, found <token>`.
    func unexpected(_ what: String, hints: [String] = []) -> QueryError {
        if isSymbol(.rightParenthesis) {
            return unmatchedClosingParenthesis()
        }
        return QueryError(.syntax, at: current.span, "expected \(what), found \(current.quoted)", hints: hints)
    }

    func unmatchedClosingParenthesis() -> QueryError {
        QueryError(.syntax, at: current.span, "unbalanced parenthesis: this \")\" has no matching \"(\"")
    }

    /// An error for a missing argument, pointing at the word that needed it.
    func missing(_ reason: String, hints: [String] = []) -> QueryError {
        QueryError(.syntax, at: previous.span, reason, hints: hints)
    }

    /// Consumes `)` closing the `(` at `open`, or explains why it cannot.
    mutating func close(_ open: Token, inside what: String) throws(QueryError) -> Token {
        if let closing = take(.rightParenthesis) { return closing }
        if atStepEnd {
            throw QueryError(.syntax, at: open.span, "unbalanced parenthesis: this \"(\" is never closed",
                             hints: ["add \")\" after \(what)"])
        }
        throw QueryError(.syntax, at: current.span, "expected \",\" or \")\" in \(what), found \(current.quoted)")
    }

    // MARK: - Query and source

    mutating func parseQuery() throws(QueryError) -> Query {
        let example = "from cpi.index | during 2021"
        if current.kind == .end {
            throw QueryError(.syntax, at: current.span, "the query is empty",
                             hints: ["a query starts with from and an indicator: \(example)"])
        }
        guard isKeyword(.from) else {
            if case .identifier(let word) = current.kind {
                if StepName(rawValue: word) != nil {
                    throw QueryError(.syntax, at: current.span, "a query starts with \"from\", not with the step \"\(word)\"",
                                     hints: ["name the indicator first: from cpi.index | \(word) …"])
                }
                throw QueryError(.syntax, at: current.span, "expected \"from\" at the start of the query, found \"\(word)\"",
                                 hints: QueryError.didYouMean(word, among: ["from"]) + ["a query starts like this: \(example)"])
            }
            throw unexpected("\"from\" at the start of the query", hints: ["a query starts like this: \(example)"])
        }
        advance()
        var indicators = [try parseIndicator(after: "from")]
        while take(.comma) != nil {
            indicators.append(try parseIndicator(after: ","))
        }
        if !atStepEnd {
            let hints = stepWord(current).map { ["separate steps with \"|\": … | \($0) …"] } ?? []
            throw unexpected("\",\" or \"|\" after the indicators", hints: hints)
        }
        var steps: [Located<Step>] = []
        while let pipe = take(.pipe) {
            if current.kind == .end {
                throw QueryError(.syntax, at: pipe.span, "the query ends with \"|\" but no step follows it",
                                 hints: ["remove the last \"|\" or add a step after it"])
            }
            if isSymbol(.pipe) {
                throw QueryError(.syntax, at: current.span, "empty step between two \"|\"",
                                 hints: ["remove one \"|\"; \"or\" is written as a word"])
            }
            steps.append(try parseStep())
        }
        if current.kind != .end {
            throw unexpected("\"|\" or the end of the query")
        }
        return Query(indicators: indicators, steps: steps)
    }

    /// The step name a token spells, if any.
    func stepWord(_ token: Token) -> String? {
        if case .identifier(let word) = token.kind, StepName(rawValue: word) != nil { return word }
        return nil
    }

    /// `NAME [ "(" filter { "," filter } ")" ]`.
    mutating func parseIndicator(after word: String) throws(QueryError) -> Located<IndicatorReference> {
        let start = current.span
        guard case .identifier(let code) = current.kind else {
            if case .string(let text) = current.kind {
                throw QueryError(.syntax, at: current.span, "an indicator code is written without quotes",
                                 hints: ["write \(text) instead of \"\(text)\""])
            }
            if atStepEnd {
                throw missing("\"\(word)\" needs an indicator code, like cpi.index or budget.*")
            }
            throw unexpected("an indicator code, like cpi.index or budget.*")
        }
        advance()
        let name = Located(code, at: start)
        var filters: [Located<DimensionFilter>] = []
        if let open = take(.leftParenthesis) {
            if isSymbol(.rightParenthesis) {
                throw QueryError(.syntax, at: open.span.through(current.span), "empty filter list after \"\(code)\"",
                                 hints: ["remove the parentheses, or filter a dimension: \(code)(group = \"food\")"])
            }
            repeat {
                filters.append(try parseFilter(of: code))
            } while take(.comma) != nil
            _ = try close(open, inside: "the filters of \(code)")
        }
        return Located(IndicatorReference(name: name, filters: filters), at: start.through(previous.span))
    }

    /// `NAME ( "=" value | "in" "(" value { "," value } ")" )`.
    mutating func parseFilter(of code: String) throws(QueryError) -> Located<DimensionFilter> {
        guard case .identifier(let dimension) = current.kind else {
            throw unexpected("a dimension of \(code), like group or measure")
        }
        let dimensionToken = advance()
        let located = Located(dimension, at: dimensionToken.span)
        var values: [Located<String>] = []
        if take(.equal) != nil {
            values.append(try parseFilterValue(of: dimension))
        } else if isKeyword(.in) {
            advance()
            guard let open = take(.leftParenthesis) else {
                throw unexpected("\"(\" after \"in\"", hints: ["list the values in parentheses: \(dimension) in (\"a\", \"b\")"])
            }
            repeat {
                values.append(try parseFilterValue(of: dimension))
            } while take(.comma) != nil
            _ = try close(open, inside: "the list of values")
        } else {
            throw unexpected("\"=\" or \"in\" after the dimension \"\(dimension)\"",
                             hints: ["filter a dimension with = or in; other conditions go in a where step"])
        }
        return Located(DimensionFilter(dimension: located, values: values), at: dimensionToken.span.through(previous.span))
    }

    mutating func parseFilterValue(of dimension: String) throws(QueryError) -> Located<String> {
        switch current.kind {
        case .string(let text), .number(let text):
            return Located(text, at: advance().span)
        case .identifier(let word):
            throw QueryError(.syntax, at: current.span, "the value of \"\(dimension)\" must be quoted",
                             hints: ["write \(dimension) = \(QueryPrinter.quote(word))"])
        default:
            throw unexpected("a value for \"\(dimension)\", like \"food\"")
        }
    }
}
