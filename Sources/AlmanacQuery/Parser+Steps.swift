import AlmanacDomain

/// The steps:
///
/// ```
/// step    = "where" expr | "during" periods | "asof" when [ "vs" when ]
///         | "convert" FREQUENCY [ METHOD ] | "group" "by" names [ AGGREGATION ] [ "over" "period" ]
///         | ("growth" | "change") ("pop" | "yoy") | ("ytd" | "decumulate") [ "sum" | "avg" ]
///         | "rebase" period [ "=" NUMBER ] | "share" [ "within" names ]
///         | "rank" [ "asc" | "desc" ] [ "within" names ] | "pivot" NAME
///         | "derive" NAME "=" expr { "," NAME "=" expr } | "sort" [ "-" ] NAME { "," [ "-" ] NAME }
///         | "take" INTEGER | "ratio" indicator | "deflate" indicator
/// periods = period [ ".." period ] { "," period [ ".." period ] }
/// when    = DATE | "latest" | "first" | "@" INTEGER
/// ```
extension Parser {
    mutating func parseStep() throws(QueryError) -> Located<Step> {
        let nameToken = current
        guard case .identifier(let word) = nameToken.kind else {
            if isKeyword(.from) {
                throw QueryError(.syntax, at: current.span, "\"from\" starts a query; it is not a step",
                                 hints: ["read several indicators with a comma: from gdp.grdp, gdp.grdp_growth"])
            }
            throw unexpected("a step after \"|\"", hints: ["steps are " + StepName.words.joined(separator: ", ")])
        }
        guard let name = StepName(rawValue: word) else {
            // A word another language uses for one of our steps says more than a spelling
            // neighbour does ("unytd" is decumulate, not ytd).
            var hints = StepName.synonyms[word.lowercased()].map { ["the step for that is \"\($0.rawValue)\""] } ?? []
            if hints.isEmpty { hints = QueryError.didYouMean(word, among: StepName.words) }
            throw QueryError(.syntax, at: nameToken.span, "unknown step \"\(word)\"", hints: hints)
        }
        advance()
        let (step, alternatives) = try parseArguments(of: name)
        if !atStepEnd {
            var hints: [String] = []
            if case .identifier(let stray) = current.kind {
                hints = QueryError.didYouMean(stray, among: alternatives)
            }
            if hints.isEmpty { hints = ["steps are separated by \"|\""] }
            throw unexpected("\"|\" or the end of the query after the \(word) step", hints: hints)
        }
        return Located(step, at: nameToken.span.through(previous.span))
    }

    /// The arguments of a step, and the optional words that could still have followed them
    /// (for did-you-mean on a stray word).
    mutating func parseArguments(of name: StepName) throws(QueryError) -> (Step, [String]) {
        switch name {
        case .where:
            if atStepEnd { throw missing("\"where\" needs a condition, like where region = \"Thai Nguyen\"") }
            return (.filter(try parseExpression()), [])
        case .during:
            return (.during(try parsePeriodSelections()), [])
        case .asof:
            let when = try parseKnowledgeTime(after: "asof")
            guard isWord("vs") else { return (.asof(when, versus: nil), ["vs"]) }
            advance()
            return (.asof(when, versus: try parseKnowledgeTime(after: "vs")), [])
        case .convert:
            let frequency = try word(Frequency.self, after: "convert")
            let method = optionalWord(ConversionMethod.self)
            return (.convert(frequency, method: method), method == nil ? ConversionMethod.words : [])
        case .group:
            return try parseGroup()
        case .growth:
            return (.growth(try word(Comparison.self, after: "growth").value), [])
        case .change:
            return (.change(try word(Comparison.self, after: "change").value), [])
        case .ytd:
            let method = optionalWord(CumulationMethod.self)
            return (.ytd(method?.value), method == nil ? CumulationMethod.words : [])
        case .decumulate:
            let method = optionalWord(CumulationMethod.self)
            return (.decumulate(method?.value), method == nil ? CumulationMethod.words : [])
        case .rebase:
            let period = try parsePeriod(after: "rebase", example: "rebase 2015")
            guard take(.equal) != nil else { return (.rebase(period, base: nil), []) }
            guard case .number(let text) = current.kind else {
                throw unexpected("the base value after \"=\", like 100")
            }
            return (.rebase(period, base: Located(text, at: advance().span)), [])
        case .share:
            return (.share(within: try parseWithin()), ["within"])
        case .rank:
            let order = optionalWord(RankOrder.self)
            return (.rank(order?.value, within: try parseWithin()), (order == nil ? RankOrder.words : []) + ["within"])
        case .pivot:
            if atStepEnd { throw missing("\"pivot\" needs a column: period, or a dimension such as measure") }
            return (.pivot(try parseColumnName()), [])
        case .derive:
            return (.derive(try parseDerivations()), [])
        case .sort:
            return (.sort(try parseSortKeys()), [])
        case .take:
            return (.take(try parseRowCount()), [])
        case .ratio:
            return (.ratio(try parseIndicator(after: "ratio")), [])
        case .deflate:
            return (.deflate(try parseIndicator(after: "deflate")), [])
        }
    }

    // MARK: - Words

    /// A required word of a vocabulary; a misspelling gets the closest words.
    mutating func word<W: Vocabulary>(_ type: W.Type, after context: String) throws(QueryError) -> Located<W> {
        let choices = QueryError.listing(W.words)
        guard case .identifier(let text) = current.kind else {
            if atStepEnd { throw missing("\"\(context)\" needs a \(W.role): \(choices)") }
            throw unexpected("a \(W.role) (\(choices))")
        }
        guard let value = W(rawValue: text) else {
            let hints = QueryError.didYouMean(text, among: W.words)
            throw QueryError(.syntax, at: current.span, "unknown \(W.role) \"\(text)\" after \"\(context)\"",
                             hints: hints.isEmpty ? ["\(context) takes \(choices)"] : hints)
        }
        return Located(value, at: advance().span)
    }

    /// An optional word of a vocabulary; anything else is left for the caller.
    mutating func optionalWord<W: Vocabulary>(_ type: W.Type) -> Located<W>? {
        guard case .identifier(let text) = current.kind, let value = W(rawValue: text) else { return nil }
        return Located(value, at: advance().span)
    }

    /// A plain column name: no dots, no globs, not a reserved word.
    mutating func parseColumnName() throws(QueryError) -> Located<String> {
        switch current.kind {
        case .identifier(let name) where !name.contains(".") && !name.contains("*"):
            return Located(name, at: advance().span)
        case .identifier(let name):
            throw QueryError(.syntax, at: current.span, "\"\(name)\" is not a column name",
                             hints: ["columns are plain names such as region, period, value or a dimension"])
        case .keyword(let keyword):
            throw QueryError(.syntax, at: current.span, "\"\(keyword.rawValue)\" is a reserved word, not a column")
        default:
            throw unexpected("a column name")
        }
    }

    /// `NAME { "," NAME }`.
    mutating func parseColumnList(after context: String) throws(QueryError) -> [Located<String>] {
        if atStepEnd { throw missing("\"\(context)\" needs at least one column") }
        var names = [try parseColumnName()]
        while take(.comma) != nil {
            names.append(try parseColumnName())
        }
        return names
    }

    /// `[ "within" NAME { "," NAME } ]`.
    mutating func parseWithin() throws(QueryError) -> [Located<String>] {
        guard isKeyword(.within) else { return [] }
        advance()
        return try parseColumnList(after: "within")
    }

    /// `"by" names [ AGGREGATION ] [ "over" "period" ]`.
    mutating func parseGroup() throws(QueryError) -> (Step, [String]) {
        guard isWord("by") else {
            if atStepEnd { throw missing("\"group\" needs \"by\" and columns, like group by region") }
            throw unexpected("\"by\" after \"group\"", hints: ["write group by region"])
        }
        advance()
        let columns = try parseColumnList(after: "by")
        let aggregation = optionalWord(Aggregation.self)
        var overPeriod = false
        if isWord("over") {
            advance()
            guard isWord("period") else {
                if atStepEnd { throw missing("\"over\" needs \"period\": group by … over period") }
                throw unexpected("\"period\" after \"over\"", hints: ["only \"over period\" is supported"])
            }
            advance()
            overPeriod = true
        }
        let alternatives = (aggregation == nil ? Aggregation.words : []) + (overPeriod ? [] : ["over"])
        return (.group(by: columns, aggregation: aggregation, overPeriod: overPeriod), alternatives)
    }
}
