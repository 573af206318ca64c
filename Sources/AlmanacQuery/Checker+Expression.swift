/// Columns and literal values in `where` and `derive` expressions.
extension Checker {
    /// Levels a region can have.
    static let levels = ["nation", "region", "province"]

    /// Checks every column an expression reads, and the literals compared with `region`,
    /// `indicator`, `level` and dimension columns.
    func check(_ expression: Located<Expression>, in scope: Scope) throws(QueryError) {
        for column in expression.columns {
            try scope.require(column)
        }
        try checkLiterals(expression, in: scope)
    }

    func checkLiterals(_ expression: Located<Expression>, in scope: Scope) throws(QueryError) {
        switch expression.value {
        case .binary(let op, let left, let right):
            if op == .equal || op == .notEqual {
                try checkComparison(left, right, in: scope)
                try checkComparison(right, left, in: scope)
            }
            try checkLiterals(left, in: scope)
            try checkLiterals(right, in: scope)
        case .membership(let subject, let items, _):
            for item in items { try checkComparison(subject, item, in: scope) }
        case .within(let subject, let group):
            guard case .column("region") = subject.value else {
                throw QueryError(.semantic, at: subject.span, "within applies to region only",
                                 hints: ["write region within \"NMM\""])
            }
            guard case .string(let text) = group.value else {
                throw QueryError(.semantic, at: group.span, "within needs the name or code of a region group as a string",
                                 hints: ["write region within \"NMM\""])
            }
            try checkRegionGroup(Located(text, at: group.span))
        case .unary(_, let operand):
            try checkLiterals(operand, in: scope)
        case .call(_, let arguments):
            for argument in arguments { try checkLiterals(argument, in: scope) }
        case .column, .string, .number, .period, .date:
            break
        }
    }

    /// Checks `column = "text"`: the text must be a known region, indicator, level or value.
    func checkComparison(_ column: Located<Expression>, _ literal: Located<Expression>, in scope: Scope) throws(QueryError) {
        guard case .column(let name) = column.value, case .string(let text) = literal.value else { return }
        let value = Located(text, at: literal.span)
        switch name {
        case "region":
            try checkRegion(value)
        case "indicator":
            let codes = scope.indicators.map(\.code)
            guard !codes.contains(text) else { return }
            throw QueryError(.unknownName, at: literal.span, "the query does not read the indicator \(QueryPrinter.quote(text))",
                             hints: QueryError.didYouMean(text, among: codes) + ["it reads " + QueryError.listing(codes, conjunction: "and")])
        case "level":
            guard !Self.levels.contains(text) else { return }
            throw QueryError(.unknownName, at: literal.span, "unknown level \(QueryPrinter.quote(text))",
                             hints: QueryError.didYouMean(text, among: Self.levels) + ["a level is " + QueryError.listing(Self.levels)])
        default:
            let dimensions = scope.indicators.flatMap(\.dimensions).filter { $0.name == name }
            if !dimensions.isEmpty { try checkValue(value, of: dimensions) }
        }
    }
}
