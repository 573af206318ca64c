import AlmanacDomain

/// The result of checking a query: the query with the indicators it reads and the columns it
/// produces, ready for the compiler.
public struct CheckedQuery: Sendable, Hashable {
    /// The query as parsed.
    public var query: Query
    /// The indicators the source reads, globs expanded, each once, in catalogue order.
    public var indicators: [IndicatorDescription]
    /// The columns of the result, in order. After `pivot period` the period columns are not
    /// known before the query runs and are not listed.
    public var columns: [String]
}

/// Checks a parsed query against a catalogue: names of indicators, dimensions, values,
/// regions and region groups; columns used by each step; and operations that make no sense
/// for the data (summing an index).
///
/// The columns flow through the steps as QUERY.md describes: `from` gives `indicator`,
/// `region`, `region_name`, `level`, one column per dimension of the indicators read,
/// `period`, `value`, `unit`, `status`, `known_from`. Then `asof … vs …` adds `value_vs` and
/// `revision` (= `value_vs` − `value`); `share` and `rank` add their column; `derive` adds its
/// names; `group by` keeps the grouped columns, `period` (unless `over period`), `value` and
/// `unit`; `pivot` replaces its column and `value` with one column per value. Checking stops
/// at the first error.
public struct Checker: Sendable {
    /// Where names are looked up.
    public let catalogue: any QueryCatalogue

    /// A checker over a catalogue.
    public init(catalogue: any QueryCatalogue) {
        self.catalogue = catalogue
    }

    /// Checks a query.
    ///
    /// - Returns: The indicators read and the columns produced.
    /// - Throws: ``QueryError`` of kind `unknownName` or `semantic`, with did-you-mean hints.
    public func check(_ query: Query) throws(QueryError) -> CheckedQuery {
        var indicators: [IndicatorDescription] = []
        for reference in query.indicators {
            for indicator in try resolve(reference) where !indicators.contains(indicator) {
                indicators.append(indicator)
            }
        }
        var scope = Scope(indicators: indicators)
        for (index, step) in query.steps.enumerated() {
            try check(step, at: index, of: query.steps, in: &scope)
        }
        return CheckedQuery(query: query, indicators: indicators, columns: scope.columns)
    }

    // MARK: - Steps

    func check(_ step: Located<Step>, at index: Int, of steps: [Located<Step>], in scope: inout Scope) throws(QueryError) {
        let name = step.value.name.rawValue
        switch step.value {
        case .filter(let condition):
            try check(condition, in: scope)
        case .during:
            try scope.require("period", by: name, at: step.span)
        case .asof(_, let versus):
            if let earlier = steps[..<index].first(where: { ![.where, .during].contains($0.value.name) }) {
                throw QueryError(.semantic, at: step.span, "asof must come before \(earlier.value.name.rawValue): it chooses which vintage of the source rows is read",
                                 hints: ["move asof next to from; only where and during may precede it"])
            }
            if versus != nil { scope.add(["value_vs", "revision"]) }
        case .convert(_, let method):
            try scope.require("value", by: name, at: step.span)
            try scope.require("period", by: name, at: step.span)
            if let method, method.value == .sum { try refuseSum(in: scope, at: method.span, by: "convert … sum") }
        case .group(let columns, let aggregation, let overPeriod):
            for column in columns {
                try scope.require(column)
                if column.value == "value" {
                    throw QueryError(.semantic, at: column.span, "cannot group by value: it is the column being aggregated")
                }
            }
            try scope.require("value", by: name, at: step.span)
            if let aggregation, aggregation.value == .sum { try refuseSum(in: scope, at: aggregation.span, by: "group by … sum") }
            if aggregation?.value == .count { scope.nonAdditive = nil }
            var kept = columns.map(\.value)
            if !overPeriod, !kept.contains("period") { kept.append("period") }
            scope.keep(kept + ["value", "unit"], removedBy: "group by")
        case .growth:
            try scope.require("value", by: name, at: step.span)
            try scope.require("period", by: name, at: step.span)
            scope.nonAdditive = "growth gives percentages"
        case .change:
            try scope.require("value", by: name, at: step.span)
            try scope.require("period", by: name, at: step.span)
        case .ytd(let method):
            try scope.require("value", by: name, at: step.span)
            try scope.require("period", by: name, at: step.span)
            if method == .sum { try refuseSum(in: scope, at: step.span, by: "ytd sum") }
        case .decumulate(let method):
            try scope.require("value", by: name, at: step.span)
            try scope.require("period", by: name, at: step.span)
            if method == .sum { try refuseSum(in: scope, at: step.span, by: "decumulate sum") }
        case .rebase:
            try scope.require("value", by: name, at: step.span)
            try scope.require("period", by: name, at: step.span)
            scope.nonAdditive = "rebase gives index points"
        case .share(let within):
            try scope.require("value", by: name, at: step.span)
            for column in within { try scope.require(column) }
            try refuseSum(in: scope, at: step.span, by: "share (a percent of the total)",
                          hint: "compare indices and rates with rank, or share an additive indicator")
            scope.add(["share"])
        case .rank(_, let within):
            try scope.require("value", by: name, at: step.span)
            for column in within { try scope.require(column) }
            scope.add(["rank"])
        case .pivot(let column):
            try pivot(column, in: &scope)
        case .derive(let derivations):
            for derivation in derivations {
                try check(derivation.expression, in: scope)
                scope.add([derivation.name.value])
            }
        case .sort(let keys):
            for key in keys { try scope.require(key.column) }
        case .take:
            break
        case .ratio(let reference):
            try scope.require("value", by: name, at: step.span)
            _ = try resolve(reference)
            scope.nonAdditive = "ratio gives percentages"
        case .deflate(let reference):
            try scope.require("value", by: name, at: step.span)
            for deflator in try resolve(reference) where deflator.rule != .indexOrRate {
                throw QueryError(.semantic, at: reference.value.name.span, "deflate divides by a price index, but \(deflator.code) is \(deflator.rule.phrase)",
                                 hints: ["deflate by a price index, like deflate cpi.index"])
            }
        }
    }

    /// Refuses an operation that adds values up when the values do not add up.
    func refuseSum(in scope: Scope, at span: SourceSpan, by operation: String,
                   hint: String = "use avg, min, max or last instead, or leave the method out to use each indicator's rule") throws(QueryError) {
        guard let why = scope.nonAdditive else { return }
        throw QueryError(.semantic, at: span, "cannot use \(operation) here: \(why), and those do not add up", hints: [hint])
    }

    func pivot(_ column: Located<String>, in scope: inout Scope) throws(QueryError) {
        try scope.require(column)
        if column.value == "value" {
            throw QueryError(.semantic, at: column.span, "cannot pivot value: pivot spreads value into one column per \(column.value)",
                             hints: ["pivot period, or pivot a dimension such as measure"])
        }
        try scope.require("value", by: "pivot", at: column.span)
        var added: [String] = []
        let dimensions = scope.indicators.flatMap(\.dimensions).filter { $0.name == column.value }
        if column.value != "period" {
            if dimensions.isEmpty || dimensions.contains(where: \.values.isEmpty) {
                scope.open = true
            } else {
                for value in dimensions.flatMap(\.values) where !added.contains(value) { added.append(value) }
            }
        }
        scope.remove([column.value, "value"], removedBy: "pivot")
        scope.add(added)
    }
}
