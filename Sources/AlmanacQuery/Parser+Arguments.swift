/// Arguments shared by several steps: periods, knowledge times, derivations, sort keys, counts.
extension Parser {
    /// A period where one is expected; a bare four-digit number is a year.
    mutating func parsePeriod(after context: String, example: String) throws(QueryError) -> Located<PeriodLiteral> {
        switch current.kind {
        case .period(let period):
            return Located(period, at: advance().span)
        case .number(let text) where text.count == 4 && text.allSatisfy(\.isNumber):
            return Located(.year(Int(text)!), at: advance().span)
        case .date(let date):
            throw QueryError(.syntax, at: current.span, "\(date) is a date, not a period",
                             hints: ["the month is written \(PeriodLiteral.month(year: date.year, month: date.month)); knowledge time is set with asof \(date)"])
        default:
            if atStepEnd { throw missing("\"\(context)\" needs a period, like \(example)") }
            throw unexpected("a period (2021, 2021-H1, 2021-Q3, 2021-07)")
        }
    }

    /// `period [ ".." period ] { "," period [ ".." period ] }`.
    mutating func parsePeriodSelections() throws(QueryError) -> [Located<PeriodSelection>] {
        var selections: [Located<PeriodSelection>] = []
        repeat {
            let first = try parsePeriod(after: selections.isEmpty ? "during" : ",", example: "during 2021-H1")
            guard take(.range) != nil else {
                selections.append(Located(.single(first.value), at: first.span))
                continue
            }
            let last = try parsePeriod(after: "..", example: "2021-01..2021-06")
            let span = first.span.through(last.span)
            guard first.value.frequencyName == last.value.frequencyName else {
                throw QueryError(.syntax, at: span, "both ends of a range must have one frequency: \(first.value) is a \(first.value.frequencyName), \(last.value) a \(last.value.frequencyName)")
            }
            guard first.value.firstMonthIndex <= last.value.firstMonthIndex else {
                throw QueryError(.syntax, at: span, "the range \(first.value)..\(last.value) runs backwards",
                                 hints: ["write \(last.value)..\(first.value)"])
            }
            selections.append(Located(.range(first.value, last.value), at: span))
        } while take(.comma) != nil
        return selections
    }

    /// `DATE | "latest" | "first" | "@" INTEGER`.
    mutating func parseKnowledgeTime(after context: String) throws(QueryError) -> Located<KnowledgeTime> {
        let forms = "a date (2021-07-12), latest, first or a log position (@12345)"
        switch current.kind {
        case .date(let date):
            return Located(.date(date), at: advance().span)
        case .position(let position):
            return Located(.position(position), at: advance().span)
        case .identifier("latest"):
            return Located(.latest, at: advance().span)
        case .identifier("first"):
            return Located(.first, at: advance().span)
        case .identifier(let word):
            let hints = QueryError.didYouMean(word, among: ["latest", "first"])
            throw QueryError(.syntax, at: current.span, "unknown knowledge time \"\(word)\" after \"\(context)\"",
                             hints: hints.isEmpty ? ["\(context) takes \(forms)"] : hints)
        case .number, .period:
            throw QueryError(.syntax, at: current.span, "\"\(context)\" takes a day, not a period",
                             hints: ["write \(forms)"])
        default:
            if atStepEnd { throw missing("\"\(context)\" needs \(forms)") }
            throw unexpected(forms)
        }
    }

    /// `NAME "=" expr { "," NAME "=" expr }`.
    mutating func parseDerivations() throws(QueryError) -> [Derivation] {
        if atStepEnd { throw missing("\"derive\" needs a name and an expression, like derive execution = actual / plan * 100") }
        var derivations: [Derivation] = []
        repeat {
            let name = try parseColumnName()
            guard take(.equal) != nil else {
                if atStepEnd { throw missing("\"\(name.value)\" needs \"=\" and an expression") }
                throw unexpected("\"=\" after \"\(name.value)\"", hints: ["write derive \(name.value) = <expression>"])
            }
            if atStepEnd { throw missing("\"=\" needs an expression after it") }
            derivations.append(Derivation(name: name, expression: try parseExpression()))
        } while take(.comma) != nil
        return derivations
    }

    /// `[ "-" ] NAME { "," [ "-" ] NAME }`.
    mutating func parseSortKeys() throws(QueryError) -> [SortKey] {
        if atStepEnd {
            throw missing("\"sort\" needs at least one column", hints: ["write sort -value for the largest first"])
        }
        var keys: [SortKey] = []
        repeat {
            let descending = take(.minus) != nil
            keys.append(SortKey(column: try parseColumnName(), descending: descending))
        } while take(.comma) != nil
        return keys
    }

    /// A whole number of rows, 1 or more.
    mutating func parseRowCount() throws(QueryError) -> Located<Int> {
        let example = ["write take 10 for the first ten rows"]
        if atStepEnd { throw missing("\"take\" needs a number of rows", hints: example) }
        let start = current.span
        let negative = take(.minus) != nil
        guard case .number(let text) = current.kind else {
            throw unexpected("a number of rows", hints: example)
        }
        let span = start.through(advance().span)
        guard !negative, let count = Int(text), count >= 1 else {
            throw QueryError(.syntax, at: span, "\"take\" needs a whole number of rows, 1 or more; found \(negative ? "-" : "")\(text)",
                             hints: negative ? ["to keep the last rows, sort the other way and take the first"] : example)
        }
        return Located(count, at: span)
    }
}
