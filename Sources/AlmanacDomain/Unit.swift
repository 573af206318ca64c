import Foundation

/// A unit of measure with the spellings agencies actually write for it.
///
/// Named `MeasureUnit` rather than `Unit` because Foundation already exports a `Unit` class,
/// and every file importing both modules would otherwise need qualified names.
///
/// Units of the same ``quantity`` differ by a power of ten (``scaleExponent``): `mn_vnd` is
/// `bn_vnd` × 10⁻³. Almanac never converts silently; ingest uses the scale to say *"the file
/// is in million VND, the indicator in billion VND"*.
public struct MeasureUnit: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The code used in indicator definitions and the native CSV (`bn_vnd`).
    public let code: String
    /// A human-readable name (`billion VND`).
    public let name: String
    /// What is measured: `VND`, `USD`, `percent`, `index` or `count`.
    public let quantity: String
    /// Power of ten of one unit in the base unit of its quantity (billion = 9, million = 6).
    public let scaleExponent: Int
    /// Other spellings, matched after ``TextFolding/fold(_:)`` (`Bill. Dongs`, `tỷ đồng`).
    public let aliases: [String]

    /// Creates a unit.
    public init(code: String, name: String, quantity: String, scaleExponent: Int = 0, aliases: [String] = []) {
        self.code = code
        self.name = name
        self.quantity = quantity
        self.scaleExponent = scaleExponent
        self.aliases = aliases
    }

    /// The code.
    public var description: String { code }

    /// Whether values in `self` and `other` measure the same thing at the same scale.
    public func isSameScale(as other: MeasureUnit) -> Bool {
        quantity == other.quantity && scaleExponent == other.scaleExponent
    }

    /// The units Almanac knows, in the order a listing shows them.
    ///
    /// `index` covers index points on any base (previous period = 100, a base year = 100);
    /// which base a figure uses is a dimension of the indicator (`base` of `cpi.index`), not
    /// a unit, so rebasing stays a query transform.
    public static let all: [MeasureUnit] = [
        MeasureUnit(code: "bn_vnd", name: "billion VND", quantity: "VND", scaleExponent: 9,
                    aliases: ["Bill. Dongs", "Bill. Dong", "Bill.Dongs", "billion VND", "billion dong", "billion dongs",
                              "VND billion", "VND bn", "bn VND", "tỷ đồng", "tỷ VND", "tỉ đồng"]),
        MeasureUnit(code: "mn_vnd", name: "million VND", quantity: "VND", scaleExponent: 6,
                    aliases: ["Mill. Dongs", "Mill. Dong", "million VND", "million dong", "triệu đồng", "VND million"]),
        MeasureUnit(code: "mn_usd", name: "million USD", quantity: "USD", scaleExponent: 6,
                    aliases: ["Mill. USD", "Mill.USD", "million USD", "USD million", "USD mn", "mn USD",
                              "triệu USD", "triệu đô la Mỹ"]),
        MeasureUnit(code: "th_usd", name: "thousand USD", quantity: "USD", scaleExponent: 3,
                    aliases: ["Thous. USD", "thousand USD", "nghìn USD", "ngàn USD"]),
        MeasureUnit(code: "percent", name: "percent", quantity: "percent",
                    aliases: ["%", "pct", "per cent", "phần trăm", "PC"]),
        MeasureUnit(code: "index", name: "index points", quantity: "index",
                    aliases: ["index points", "index point", "points", "điểm", "chỉ số",
                              "previous period = 100", "previous year = 100", "base year = 100", "2019 = 100"]),
        MeasureUnit(code: "count", name: "count", quantity: "count",
                    aliases: ["number", "projects", "project", "number of projects", "dự án", "units", "cases"]),
    ]

    /// The unit `text` names (code or alias; case, accents and spacing ignored), or nil.
    public static func resolve(_ text: String) -> MeasureUnit? {
        let key = TextFolding.fold(text)
        guard !key.isEmpty, key.count <= 64 else { return nil }
        return byFoldedSpelling[key].map { all[$0] }
    }

    /// Folded code or alias → index in `all`, the first unit winning, built once.
    private static let byFoldedSpelling: [String: Int] = {
        var map: [String: Int] = [:]
        for (i, unit) in all.enumerated() {
            for spelling in [unit.code] + unit.aliases where map[TextFolding.fold(spelling)] == nil {
                map[TextFolding.fold(spelling)] = i
            }
        }
        return map
    }()

    /// The unit with exactly this code, or nil.
    public static func unit(code: String) -> MeasureUnit? { all.first { $0.code == code } }
}
