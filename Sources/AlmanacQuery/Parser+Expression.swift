/// Expressions, loosest first:
///
/// ```
/// expr       = and { "or" and }
/// and        = not { "and" not }
/// not        = "not" not | comparison
/// comparison = sum [ ("=" | "!=" | "<" | "<=" | ">" | ">=") sum
///                  | [ "not" ] "in" "(" sum { "," sum } ")" | "within" sum ]
/// sum        = product { ("+" | "-") product }
/// product    = unary { ("*" | "/") unary }
/// unary      = "-" unary | primary
/// primary    = NUMBER | STRING | PERIOD | DATE | NAME | NAME "(" expr { "," expr } ")" | "(" expr ")"
/// ```
extension Parser {
    /// Expressions nested deeper than this are refused rather than risk the stack.
    static let expressionDepthMax = 64
    /// A query with more operands than this is refused: a chain `a + a + …` is as deep as it
    /// is long, and later stages walk it recursively.
    static let operandsMax = 1_000

    mutating func parseExpression(depth: Int = 0) throws(QueryError) -> Located<Expression> {
        guard depth < Self.expressionDepthMax else {
            throw QueryError(.syntax, at: current.span, "the expression is nested more than \(Self.expressionDepthMax) levels deep")
        }
        var left = try parseAnd(depth)
        while isKeyword(.or) {
            advance()
            let right = try parseAnd(depth)
            left = Located(.binary(.or, left, right), at: left.span.through(right.span))
        }
        return left
    }

    mutating func parseAnd(_ depth: Int) throws(QueryError) -> Located<Expression> {
        var left = try parseNot(depth)
        while isKeyword(.and) {
            advance()
            let right = try parseNot(depth)
            left = Located(.binary(.and, left, right), at: left.span.through(right.span))
        }
        return left
    }

    mutating func parseNot(_ depth: Int) throws(QueryError) -> Located<Expression> {
        guard isKeyword(.not) else { return try parseComparison(depth) }
        guard depth < Self.expressionDepthMax else {
            throw QueryError(.syntax, at: current.span, "the expression is nested more than \(Self.expressionDepthMax) levels deep")
        }
        let token = advance()
        let operand = try parseNot(depth + 1)
        return Located(.unary(.not, operand), at: token.span.through(operand.span))
    }

    static let comparisons: [Symbol: BinaryOperator] = [
        .equal: .equal, .notEqual: .notEqual, .less: .less, .lessOrEqual: .lessOrEqual,
        .greater: .greater, .greaterOrEqual: .greaterOrEqual,
    ]

    mutating func parseComparison(_ depth: Int) throws(QueryError) -> Located<Expression> {
        let left = try parseSum(depth)
        var result = left
        if case .symbol(let symbol) = current.kind, let op = Self.comparisons[symbol] {
            advance()
            let right = try parseSum(depth)
            result = Located(.binary(op, left, right), at: left.span.through(right.span))
        } else if isKeyword(.in) || (isKeyword(.not) && isKeyword(.in, next)) {
            let negated = isKeyword(.not)
            if negated { advance() }
            advance()
            guard let open = take(.leftParenthesis) else {
                throw unexpected("\"(\" after \"in\"", hints: ["list the values in parentheses: region in (\"Ha Noi\", \"Hai Phong\")"])
            }
            var items: [Located<Expression>] = []
            repeat {
                items.append(try parseSum(depth + 1))
            } while take(.comma) != nil
            let closing = try close(open, inside: "the list after \"in\"")
            result = Located(.membership(left, items, negated: negated), at: left.span.through(closing.span))
        } else if isKeyword(.within) {
            advance()
            let group = try parseSum(depth)
            result = Located(.within(left, group), at: left.span.through(group.span))
        } else {
            return left
        }
        if case .symbol(let symbol) = current.kind, Self.comparisons[symbol] != nil {
            throw QueryError(.syntax, at: current.span, "comparisons do not chain",
                             hints: ["combine them with and: a < b and b < c"])
        }
        return result
    }

    mutating func parseSum(_ depth: Int) throws(QueryError) -> Located<Expression> {
        var left = try parseProduct(depth)
        while case .symbol(let symbol) = current.kind, symbol == .plus || symbol == .minus {
            advance()
            let right = try parseProduct(depth)
            left = Located(.binary(symbol == .plus ? .add : .subtract, left, right), at: left.span.through(right.span))
        }
        return left
    }

    mutating func parseProduct(_ depth: Int) throws(QueryError) -> Located<Expression> {
        var left = try parseUnary(depth)
        while case .symbol(let symbol) = current.kind, symbol == .star || symbol == .slash {
            advance()
            let right = try parseUnary(depth)
            left = Located(.binary(symbol == .star ? .multiply : .divide, left, right), at: left.span.through(right.span))
        }
        return left
    }

    mutating func parseUnary(_ depth: Int) throws(QueryError) -> Located<Expression> {
        guard let minus = take(.minus) else { return try parsePrimary(depth) }
        guard depth < Self.expressionDepthMax else {
            throw QueryError(.syntax, at: minus.span, "the expression is nested more than \(Self.expressionDepthMax) levels deep")
        }
        let operand = try parseUnary(depth + 1)
        return Located(.unary(.negate, operand), at: minus.span.through(operand.span))
    }

    mutating func parsePrimary(_ depth: Int) throws(QueryError) -> Located<Expression> {
        let token = current
        operands += 1
        guard operands <= Self.operandsMax else {
            throw QueryError(.syntax, at: token.span, "the query has more than \(Self.operandsMax) operands")
        }
        switch token.kind {
        case .number(let text):
            advance()
            return Located(.number(text), at: token.span)
        case .string(let text):
            advance()
            return Located(.string(text), at: token.span)
        case .period(let period):
            advance()
            return Located(.period(period), at: token.span)
        case .date(let date):
            advance()
            return Located(.date(date), at: token.span)
        case .identifier(let name):
            advance()
            if let open = take(.leftParenthesis) {
                return try parseCall(name, at: token, open: open, depth)
            }
            if name.contains(".") || name.contains("*") {
                throw QueryError(.syntax, at: token.span, "\"\(name)\" is not a column",
                                 hints: ["compare with an indicator code as a string: indicator = \(QueryPrinter.quote(name))"])
            }
            return Located(.column(name), at: token.span)
        case .symbol(.leftParenthesis):
            advance()
            let inner = try parseExpression(depth: depth + 1)
            let closing = try close(token, inside: "the expression")
            return Located(inner.value, at: token.span.through(closing.span))
        case .symbol(.rightParenthesis):
            throw unmatchedClosingParenthesis()
        default:
            if atStepEnd {
                throw missing("expected a value or a column after \(previous.quoted)")
            }
            throw unexpected("a value or a column")
        }
    }

    mutating func parseCall(_ name: String, at token: Token, open: Token, _ depth: Int) throws(QueryError) -> Located<Expression> {
        guard let function = Function(rawValue: name) else {
            let hints = QueryError.didYouMean(name, among: Function.words)
            throw QueryError(.syntax, at: token.span, "unknown function \"\(name)\"",
                             hints: hints.isEmpty ? ["the functions are " + QueryError.listing(Function.words, conjunction: "and")] : hints)
        }
        var arguments: [Located<Expression>] = []
        if !isSymbol(.rightParenthesis) {
            repeat {
                arguments.append(try parseExpression(depth: depth + 1))
            } while take(.comma) != nil
        }
        let closing = try close(open, inside: "the arguments of \(name)")
        let span = token.span.through(closing.span)
        guard function.arity.contains(arguments.count) else {
            let expected = function == .round ? "round(x) or round(x, n)" : "\(name)(x)"
            throw QueryError(.syntax, at: span, "\"\(name)\" takes \(function.arity.lowerBound == function.arity.upperBound ? "one argument" : "one or two arguments"), not \(arguments.count)",
                             hints: ["write \(expected)"])
        }
        return Located(.call(function, arguments), at: span)
    }
}
