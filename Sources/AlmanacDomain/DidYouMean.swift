import Foundation

/// Suggests the names a user probably meant when a name or code is not recognised.
///
/// Comparison is on folded text (see ``TextFolding/fold(_:)``) with look-alike letters
/// replaced, so accents, case, NFD and a stray Cyrillic letter never cost anything; only real
/// typing mistakes count towards the distance.
public enum DidYouMean {
    /// Inputs (after folding) longer than this get no suggestions.
    ///
    /// The distance is O(n·m) in time; names and codes are far shorter than this, and a long
    /// input is not a typo of any of them.
    public static let inputCharactersMax = 128

    /// The largest `limit` honoured; a longer list stops being a suggestion.
    public static let limitMax = 20

    /// Up to `limit` candidates closest to `input` (Damerau-Levenshtein on folded text, sensible distance threshold, best first; exact folded match first).
    ///
    /// The threshold grows with the length of the input: 1 edit for up to 3 characters,
    /// 2 for up to 6, 3 beyond. A candidate is also compared with spaces removed on both sides,
    /// so `thainguyen` finds `Thái Nguyên`. Ties keep the order of `candidates`; candidates that
    /// fold to the same text are suggested once (the first one).
    ///
    /// - Parameters:
    ///   - input: What the user wrote.
    ///   - candidates: The valid names or codes.
    ///   - limit: How many suggestions at most (clamped to 0...``limitMax``).
    /// - Returns: Candidates as given (not folded), best first.
    public static func suggestions(for input: String, among candidates: [String], limit: Int = 3) -> [String] {
        let limit = min(max(limit, 0), limitMax)
        let target = key(input)
        guard limit > 0, !target.isEmpty, target.count <= inputCharactersMax else { return [] }
        let threshold = maxDistance(forLength: target.count)
        let targetCompact = target.filter { $0 != " " }
        var seen = Set<String>()
        var scored: [(distance: Int, index: Int, candidate: String)] = []
        for (index, candidate) in candidates.enumerated() {
            let folded = key(candidate)
            guard !folded.isEmpty, folded.count <= inputCharactersMax, seen.insert(folded).inserted else { continue }
            // Cheap length filter: the distance is at least the difference in length.
            if abs(folded.count - target.count) > threshold + 1 { continue }
            var d = distance(target, folded)
            if d > 0 {
                d = min(d, distance(targetCompact, folded.filter { $0 != " " }))
            }
            if d <= threshold { scored.append((d, index, candidate)) }
        }
        scored.sort { ($0.distance, $0.index) < ($1.distance, $1.index) }
        return scored.prefix(limit).map(\.candidate)
    }

    /// The largest edit distance still considered a typo for an input of `length` characters.
    public static func maxDistance(forLength length: Int) -> Int {
        length <= 3 ? 1 : (length <= 6 ? 2 : 3)
    }

    /// The comparison key: look-alikes replaced, then folded.
    static func key(_ s: String) -> String {
        TextFolding.fold(TextFolding.replacingLookAlikes(s))
    }

    /// Damerau-Levenshtein distance (optimal string alignment variant) between two strings,
    /// counted in Unicode scalars: insertions, deletions, substitutions and transpositions of
    /// adjacent characters each cost 1.
    public static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a.unicodeScalars), t = Array(b.unicodeScalars)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        let width = t.count + 1
        // Three rolling rows are enough for the transposition case.
        var previous2 = [Int](repeating: 0, count: width)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: width)
        for i in 1...s.count {
            current[0] = i
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    best = min(best, previous2[j - 2] + 1)
                }
                current[j] = best
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count]
    }
}
