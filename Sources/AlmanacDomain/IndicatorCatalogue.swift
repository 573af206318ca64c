import Foundation

/// The indicators Almanac knows, with lookup by code, family, glob and did-you-mean.
///
/// Built from ``IndicatorDefinition`` values (from `IndicatorDefined` events, or ``standard``);
/// a later definition with the same code replaces the earlier one, as a redefinition event does.
public struct IndicatorCatalogue: Sendable {
    /// Every indicator, in definition order.
    public let indicators: [IndicatorDefinition]
    private let byCode: [String: Int]

    /// The most indicators one catalogue holds; bounds the cost of globs and suggestions.
    public static let indicatorsMax = 100_000

    /// Builds a catalogue; later duplicates replace earlier ones in place.
    ///
    /// - Precondition: at most ``indicatorsMax`` distinct codes.
    public init(indicators input: [IndicatorDefinition]) {
        var ordered: [IndicatorDefinition] = []
        var byCode: [String: Int] = [:]
        for definition in input {
            if let i = byCode[definition.code] { ordered[i] = definition } else {
                byCode[definition.code] = ordered.count
                ordered.append(definition)
            }
        }
        precondition(ordered.count <= IndicatorCatalogue.indicatorsMax, "too many indicators: \(ordered.count)")
        indicators = ordered
        self.byCode = byCode
    }

    /// The indicator with this code (surrounding spaces and case ignored), or nil.
    public func indicator(code: String) -> IndicatorDefinition? {
        byCode[code.trimmingCharacters(in: .whitespaces).lowercased()].map { indicators[$0] }
    }

    /// The indicator with this code, or an error with did-you-mean suggestions.
    public func require(_ code: String) throws(IndicatorError) -> IndicatorDefinition {
        if let found = indicator(code: code) { return found }
        let near = suggestions(for: code)
        throw IndicatorError(code: code, message: "unknown indicator '\(code)'",
                             hint: near.isEmpty ? "see `almanac catalogue` for the list" :
                                "did you mean " + near.joined(separator: ", ") + "?")
    }

    /// The families in use, sorted.
    public var families: [String] { Array(Set(indicators.map(\.family))).sorted() }

    /// The indicators of `family`, in definition order.
    public func indicators(family: String) -> [IndicatorDefinition] {
        indicators.filter { $0.family == family.lowercased() }
    }

    /// The indicators whose code matches `pattern`: `*` any run of characters, `?` one character.
    ///
    /// `budget.*` is the budget family, `*.fdi_*` the FDI indicators. A pattern without
    /// wildcards matches its code exactly. Patterns longer than 128 characters match nothing.
    public func matching(_ pattern: String) -> [IndicatorDefinition] {
        guard pattern.count <= 128 else { return [] }
        let p = Array(pattern.lowercased())
        return indicators.filter { IndicatorCatalogue.glob(p, Array($0.code)) }
    }

    /// Codes closest to `text`, best first.
    public func suggestions(for text: String, limit: Int = 3) -> [String] {
        DidYouMean.suggestions(for: text, among: indicators.map(\.code), limit: limit)
    }

    /// Glob match by dynamic programming: O(|p|·|s|), no backtracking blow-up on `*a*a*a*b`.
    static func glob(_ p: [Character], _ s: [Character]) -> Bool {
        var row = [Bool](repeating: false, count: s.count + 1)
        row[0] = true
        for pc in p {
            var next = [Bool](repeating: false, count: s.count + 1)
            if pc == "*" {
                var any = false
                for j in 0...s.count {
                    any = any || row[j]
                    next[j] = any
                }
            } else {
                for j in 0..<s.count where row[j] && (pc == "?" || pc == s[j]) { next[j + 1] = true }
            }
            row = next
        }
        return row[s.count]
    }
}
