import Foundation
import AlmanacDomain

/// Indicator, dimension, region and region-group names.
extension Checker {
    /// The indicators a reference names, with its filters checked.
    func resolve(_ reference: Located<IndicatorReference>) throws(QueryError) -> [IndicatorDescription] {
        let name = reference.value.name
        let all = catalogue.indicators
        let matched: [IndicatorDescription]
        if reference.value.isGlob {
            matched = all.filter { Self.glob(name.value, matches: $0.code) }
            if matched.isEmpty {
                var families: [String] = []
                for family in all.map({ "\($0.family).*" }) where !families.contains(family) { families.append(family) }
                throw QueryError(.unknownName, at: name.span, "no indicator matches \"\(name.value)\"",
                                 hints: QueryError.didYouMean(name.value, among: families))
            }
        } else {
            let folded = FoldedText.of(name.value)
            guard let indicator = all.first(where: { FoldedText.of($0.code) == folded }) else {
                throw QueryError(.unknownName, at: name.span, "unknown indicator \"\(name.value)\"",
                                 hints: QueryError.didYouMean(name.value, among: all.map(\.code)))
            }
            matched = [indicator]
        }
        for filter in reference.value.filters {
            try check(filter.value, of: matched, named: name.value)
        }
        return matched
    }

    func check(_ filter: DimensionFilter, of indicators: [IndicatorDescription], named name: String) throws(QueryError) {
        let dimensions = indicators.flatMap(\.dimensions)
        let dimension = filter.dimension
        let matching = dimensions.filter { $0.name == dimension.value }
        guard !matching.isEmpty else {
            var names: [String] = []
            for candidate in dimensions.map(\.name) where !names.contains(candidate) { names.append(candidate) }
            let hints = names.isEmpty ? ["\(name) has no breakdown dimensions"]
                : QueryError.didYouMean(dimension.value, among: names) + [names.count == 1 ? "the only dimension of \(name) is \"\(names[0])\""
                    : "the dimensions of \(name) are " + QueryError.listing(names, conjunction: "and")]
            throw QueryError(.unknownName, at: dimension.span, "\(name) has no dimension \"\(dimension.value)\"", hints: hints)
        }
        for value in filter.values {
            try checkValue(value, of: matching)
        }
    }

    /// Checks a value of a dimension when the catalogue lists the allowed values.
    func checkValue(_ value: Located<String>, of dimensions: [DimensionDescription]) throws(QueryError) {
        guard let name = dimensions.first?.name, !dimensions.contains(where: \.values.isEmpty) else { return }
        var allowed: [String] = []
        for candidate in dimensions.flatMap(\.values) where !allowed.contains(candidate) { allowed.append(candidate) }
        let folded = FoldedText.of(value.value)
        guard !allowed.contains(where: { FoldedText.of($0) == folded }) else { return }
        var hints = QueryError.didYouMean(value.value, among: allowed)
        if allowed.count <= 12 { hints.append("\(name) is one of " + QueryError.listing(allowed)) }
        throw QueryError(.unknownName, at: value.span, "unknown value \(QueryPrinter.quote(value.value)) of \(name)", hints: hints)
    }

    /// Checks a region written as a code or a name, ignoring accents and case.
    func checkRegion(_ value: Located<String>) throws(QueryError) {
        let folded = FoldedText.of(value.value)
        let regions = catalogue.regions
        let known = regions.contains { region in
            FoldedText.of(region.code) == folded || region.names.contains { FoldedText.of($0) == folded }
        }
        guard !known else { return }
        let candidates = regions.flatMap { $0.names.prefix(1) } + regions.map(\.code)
        throw QueryError(.unknownName, at: value.span, "unknown region \(QueryPrinter.quote(value.value))",
                         hints: QueryError.didYouMean(value.value, among: candidates))
    }

    /// Checks a region group for `within`.
    func checkRegionGroup(_ value: Located<String>) throws(QueryError) {
        let folded = FoldedText.of(value.value)
        let groups = catalogue.regionGroups
        let known = groups.contains { group in
            FoldedText.of(group.code) == folded || group.names.contains { FoldedText.of($0) == folded }
        }
        guard !known else { return }
        let candidates = groups.map(\.code) + groups.flatMap(\.names)
        var hints = QueryError.didYouMean(value.value, among: candidates)
        if hints.isEmpty, groups.count <= 12 { hints = ["the region groups are " + QueryError.listing(groups.map(\.code), conjunction: "and")] }
        throw QueryError(.unknownName, at: value.span, "unknown region group \(QueryPrinter.quote(value.value))", hints: hints)
    }

    /// Whether `code` matches `pattern`, where `*` stands for any run of characters.
    static func glob(_ pattern: String, matches code: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == code }
        guard code.hasPrefix(parts[0]) else { return false }
        var rest = Substring(code.dropFirst(parts[0].count))
        for (index, part) in parts.enumerated().dropFirst() {
            if index == parts.count - 1 { return rest.hasSuffix(part) }
            guard let found = rest.range(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }
}
