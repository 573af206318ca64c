import Foundation

/// The set of regions Almanac knows, with lookups by code and by name.
///
/// Built from ``Region`` values (in practice from `RegionDefined` events, or ``standard``).
/// Names match after folding (accents, case, NFD and spacing ignored), after removing
/// administrative prefixes (`Tỉnh`, `Thành phố`, `TP.`) and with `-`/`.` read as spaces, so
/// `Bà Rịa-Vũng Tàu`, `BA RIA - VUNG TAU` and `tỉnh Bà Rịa – Vũng Tàu` are one province.
public struct RegionCatalogue: Sendable {
    /// Every region, in definition order (a redefinition keeps the first position).
    public let regions: [Region]
    private let byCode: [String: Int]
    private let byOfficialCode: [String: [Int]]
    private let byName: [String: [Int]]

    /// The most regions a catalogue holds: Vietnam has 100-odd over its history; this leaves
    /// room for district-level extensions while bounding every index built here.
    public static let regionsMax = 10_000

    /// Builds a catalogue; a later region with the same code replaces the earlier one.
    ///
    /// - Precondition: at most ``regionsMax`` distinct codes.
    public init(regions input: [Region]) {
        var ordered: [Region] = []
        var byCode: [String: Int] = [:]
        for region in input {
            let key = region.code.uppercased()
            if let i = byCode[key] { ordered[i] = region } else {
                byCode[key] = ordered.count
                ordered.append(region)
            }
        }
        precondition(ordered.count <= RegionCatalogue.regionsMax, "too many regions: \(ordered.count)")
        var byOfficial: [String: [Int]] = [:], byName: [String: [Int]] = [:]
        for (i, region) in ordered.enumerated() {
            byOfficial[region.officialCode.uppercased(), default: []].append(i)
            var keys = Set([region.name, region.asciiName] + region.aliases + (region.englishName.map { [$0] } ?? []))
            keys = Set(keys.map(RegionCatalogue.nameKey))
            for key in keys where !key.isEmpty { byName[key, default: []].append(i) }
        }
        regions = ordered
        self.byCode = byCode
        byOfficialCode = byOfficial
        self.byName = byName
    }

    /// The region with exactly this code (case-insensitive), or nil.
    public func region(code: String) -> Region? {
        byCode[code.trimmingCharacters(in: .whitespaces).uppercased()].map { regions[$0] }
    }

    /// Every region that `text` could mean: by code, official code or name; best first.
    ///
    /// A one-digit number is read as a two-digit code with its leading zero lost (`1` is
    /// `01`), which is what spreadsheets do to codes.
    public func candidates(_ text: String) -> [Region] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { return [] }
        var code = trimmed.uppercased()
        if code.count == 1, code.allSatisfy(\.isNumber) { code = "0" + code }
        var found: [Int] = []
        if let i = byCode[code] { found.append(i) }
        found += byOfficialCode[code] ?? []
        found += byName[RegionCatalogue.nameKey(trimmed)] ?? []
        var seen = Set<Int>()
        return found.filter { seen.insert($0).inserted }.map { regions[$0] }
    }

    /// The region `text` names (code or name, accents and case optional), or nil.
    ///
    /// An exact code wins; among names shared by an old province and a 2025 unit (`Hà Nội`)
    /// the one valid first (the old province) is returned. Use ``resolve(_:for:)`` when the
    /// period is known.
    public func resolve(_ text: String) -> Region? {
        candidates(text).first
    }

    /// The region `text` names for figures about `period`.
    ///
    /// Prefers a candidate valid for `period` (`19` in 2025-Q3 is `19N`); when none is valid,
    /// returns the best candidate anyway so the caller can report *"not valid for the
    /// period"* rather than *"unknown"*; check ``isValid(_:for:)``.
    public func resolve(_ text: String, for period: Period) -> Region? {
        let all = candidates(text)
        return all.first { $0.isValid(for: period) } ?? all.first
    }

    /// Names and codes closest to `text`, best first, for an *unknown region* message.
    public func suggestions(for text: String, limit: Int = 3) -> [Region] {
        var labels: [String] = [], owners: [Int] = []
        for (i, region) in regions.enumerated() {
            for label in [region.name, region.code] + region.aliases {
                labels.append(label)
                owners.append(i)
            }
        }
        var seen = Set<Int>(), out: [Region] = []
        for label in DidYouMean.suggestions(for: text, among: labels, limit: DidYouMean.limitMax) {
            for (j, candidate) in labels.enumerated() where candidate == label && seen.insert(owners[j]).inserted {
                out.append(regions[owners[j]])
            }
            if out.count >= limit { break }
        }
        return Array(out.prefix(max(0, limit)))
    }

    /// The direct members of a region (`NMM` → its provinces, `VN` → the six regions).
    ///
    /// With a period, only members valid for it: `NMM` in 2021 gives the 14 old provinces,
    /// in 2025-Q3 the post-merger units whose name-giving predecessor was in `NMM`.
    public func members(of code: String, validFor period: Period? = nil) -> [Region] {
        guard let parent = region(code: code) else { return [] }
        return regions.filter { $0.parentCode == parent.code && (period.map($0.isValid(for:)) ?? true) }
    }

    /// The regions a 2025 unit was formed from, the name-giving one first.
    public func predecessors(of code: String) -> [Region] {
        region(code: code)?.predecessorCodes.compactMap { region(code: $0) } ?? []
    }

    /// The unit a region became in a boundary change, or nil.
    public func successor(of code: String) -> Region? {
        region(code: code)?.successorCode.flatMap { region(code: $0) }
    }

    /// Provinces (level `province`) valid for `period`: the 63 before July 2025, the 34 after.
    public func provinces(validFor period: Period) -> [Region] {
        regions.filter { $0.level == .province && $0.isValid(for: period) }
    }

    /// Whether figures for `period` may be reported for `region` (see ``Region/isValid(for:)``).
    public func isValid(_ region: Region, for period: Period) -> Bool { region.isValid(for: period) }

    /// The folded form names are matched on.
    static func nameKey(_ text: String) -> String {
        var s = TextFolding.fold(text.replacingOccurrences(of: "–", with: "-"))
        s = s.map { $0 == "-" || $0 == "." || $0 == "," ? " " : String($0) }.joined()
        s = TextFolding.fold(s)
        for prefix in ["tinh ", "thanh pho ", "tp ", "t p "] where s.hasPrefix(prefix) && s.count > prefix.count {
            s = String(s.dropFirst(prefix.count))
            break
        }
        return s
    }
}
