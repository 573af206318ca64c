import Foundation

/// A territory figures are reported for: the nation, a socio-economic region or a province.
///
/// ## Codes and the 2025 merger
///
/// `code` is unique within a catalogue and never reused for a different territory or a
/// different validity interval:
/// - `VN` is the nation; `RRD`, `NMM`, `NCC`, `CH`, `SE`, `MD` are the six socio-economic
///   regions (codes as in the reference file `vn-provinces.csv`, which spells the Mekong
///   River Delta `MD`; `MRD` is accepted as an alias);
/// - the 63 provinces keep their official two-digit codes (`19` is Thái Nguyên) and are valid
///   until 2025-06-30;
/// - the 34 provincial units valid from 2025-07-01 take the code of the predecessor that keeps
///   the name (Thừa Thiên Huế for Huế) followed by `N`: the merged Thái Nguyên (old Thái
///   Nguyên + Bắc Kạn) is `19N`. An unchanged unit such as Hà Nội still gets a new record
///   (`01N`): its validity starts on 2025-07-01, so a series on the new boundaries never
///   silently mixes with one on the old. ``officialCode`` keeps the two-digit code agencies
///   write (`19`); ``RegionCatalogue/resolve(_:for:)`` maps `19` for a period after the
///   merger to `19N`.
///
/// A region is valid for a period when the *last day* of the period lies in its validity:
/// figures are published on the boundaries in force at the end of the reference period, so
/// the year 2025 and `2025-01..2025-09` belong to the 34 units and `2025-H1` to the 63
/// provinces. See ``isValid(for:)``.
///
/// Codable, because the catalogue is defined by `RegionDefined` events.
public struct Region: Sendable, Hashable, Codable, Identifiable, CustomStringConvertible {
    /// Where a region sits in the hierarchy.
    public enum Level: String, Sendable, Hashable, Codable, CaseIterable {
        case nation, region, province
    }

    /// The unique code (`VN`, `NMM`, `19`, `19N`).
    public var code: String
    /// The code agencies write; equals ``code`` except for the 2025 units (`19` for `19N`).
    public var officialCode: String
    /// The Vietnamese name, NFC, with diacritics (`Thái Nguyên`).
    public var name: String
    /// The name without diacritics (`Thai Nguyen`).
    public var asciiName: String
    /// The English name, for the nation and the socio-economic regions.
    public var englishName: String?
    /// Nation, region or province.
    public var level: Level
    /// The code of the enclosing region (`NMM` for `19`, `VN` for `NMM`); nil for the nation.
    public var parentCode: String?
    /// The first day the region exists; nil when it always has.
    public var validFrom: CalendarDate?
    /// The last day the region exists (inclusive); nil while it still does.
    public var validTo: CalendarDate?
    /// The code of the unit this region became (the 63 → 34 merger); nil if none.
    public var successorCode: String?
    /// The codes of the regions this one was formed from, the name-giving one first.
    public var predecessorCodes: [String]
    /// Other names agencies use (`TP.HCM`, `Thừa Thiên - Huế`, `MRD`); matched after folding.
    public var aliases: [String]

    /// Creates a region; the name is normalised to NFC.
    public init(code: String, officialCode: String? = nil, name: String, asciiName: String, englishName: String? = nil,
                level: Level, parentCode: String?, validFrom: CalendarDate? = nil, validTo: CalendarDate? = nil,
                successorCode: String? = nil, predecessorCodes: [String] = [], aliases: [String] = []) {
        self.code = code
        self.officialCode = officialCode ?? code
        self.name = name.precomposedStringWithCanonicalMapping
        self.asciiName = asciiName
        self.englishName = englishName
        self.level = level
        self.parentCode = parentCode
        self.validFrom = validFrom
        self.validTo = validTo
        self.successorCode = successorCode
        self.predecessorCodes = predecessorCodes
        self.aliases = aliases
    }

    /// The code, for `Identifiable`.
    public var id: String { code }

    /// `Thái Nguyên (19)`.
    public var description: String { "\(name) (\(code))" }

    /// Whether the region exists on `date`.
    public func isValid(on date: CalendarDate) -> Bool {
        if let validFrom, date < validFrom { return false }
        if let validTo, validTo < date { return false }
        return true
    }

    /// Whether figures for `period` may be reported for this region: the period's last day
    /// lies within the validity (boundaries in force at the end of the reference period).
    public func isValid(for period: Period) -> Bool { isValid(on: period.endDate) }

    /// Whether the region exists on every day of `period` (no boundary change inside it).
    public func coversWholly(_ period: Period) -> Bool {
        isValid(on: period.startDate) && isValid(on: period.endDate)
    }
}
