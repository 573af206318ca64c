import AlmanacDomain

/// The size of one of the 63 provinces, the scale every generated series of it is drawn at.
///
/// Figures are rounded public orders of magnitude (GSO yearbooks, provincial reports), good
/// enough for plausible synthetic data and *not* statistics: Hà Nội and Hồ Chí Minh City are
/// large, the northern mountain provinces small, Bà Rịa - Vũng Tàu's revenue carries oil.
/// Thái Nguyên's revenue is set so the story of DESIGN.md §1 holds: inside the top 20 of 63,
/// first of the Northern Midlands and Mountains (NMM) by a margin no seed's noise can undo.
struct ProvinceProfile: Sendable, Hashable {
    /// The two-digit official code (`19`).
    let code: String
    /// The socio-economic region (`NMM`).
    let region: String
    /// GRDP in 2019 at current prices, trillion VND.
    let grdp2019: Double
    /// State budget revenue collected in 2021, trillion VND.
    let revenue2021: Double
    /// Relative attractiveness to foreign direct investment (any unit; only shares matter).
    let fdiWeight: Double

    /// The province whose story DESIGN.md §1 tells.
    static let storyCode = "19"

    /// Every province of the standard catalogue valid before the 2025 merger, in catalogue order.
    ///
    /// - Precondition: the catalogue and ``table`` list the same 63 codes (checked once).
    static let all: [ProvinceProfile] = {
        let before = Period.month(2025, 6)!
        let provinces = RegionCatalogue.standard.provinces(validFor: before)
        let profiles = provinces.map { region -> ProvinceProfile in
            guard let row = table[region.code] else { preconditionFailure("no profile for province \(region.code)") }
            return ProvinceProfile(code: region.code, region: region.parentCode ?? "", grdp2019: row.0,
                                   revenue2021: row.1, fdiWeight: row.2)
        }
        precondition(profiles.count == table.count, "profile table and catalogue disagree")
        return profiles
    }()

    /// code → (GRDP 2019 trillion VND, revenue 2021 trillion VND, FDI weight).
    static let table: [String: (Double, Double, Double)] = [
        "01": (971, 280, 10), "02": (25, 2.5, 0.1), "04": (17, 2.2, 0.1), "06": (12, 0.9, 0.05),
        "08": (40, 3.0, 0.2), "10": (55, 11.5, 0.3), "11": (17, 1.3, 0.05), "12": (15, 2.5, 0.05),
        "14": (55, 5.0, 0.1), "15": (30, 4.0, 0.2), "17": (40, 5.5, 0.3), "19": (120, 18.5, 2.5),
        "20": (35, 7.5, 0.2), "22": (220, 50, 3), "24": (110, 13.5, 4), "25": (60, 8.5, 0.8),
        "26": (120, 32, 2), "27": (200, 30, 7), "30": (135, 22, 2), "31": (275, 95, 7),
        "33": (100, 20, 2), "34": (75, 9, 0.8), "35": (55, 15, 1.5), "36": (70, 7.5, 0.5),
        "37": (60, 14, 0.6), "38": (210, 43, 2.5), "40": (150, 16, 1.5), "42": (75, 14, 1.5),
        "44": (40, 6.5, 0.2), "45": (30, 3.5, 0.2), "46": (55, 10, 0.5), "48": (110, 22, 1),
        "49": (95, 26, 0.8), "51": (85, 25, 0.8), "52": (75, 12, 0.5), "54": (35, 4.8, 0.5),
        "56": (90, 14.5, 0.8), "58": (25, 4, 0.6), "60": (75, 11, 0.5), "62": (25, 3, 0.1),
        "64": (80, 6, 0.1), "66": (85, 7, 0.1), "67": (35, 2.8, 0.1), "68": (85, 9, 0.3),
        "70": (65, 14, 0.8), "72": (85, 10, 2), "74": (352, 65, 9), "75": (370, 55, 6),
        "77": (350, 90, 3), "79": (1330, 380, 12), "80": (125, 21, 4), "82": (85, 10, 1),
        "83": (55, 5, 0.5), "84": (50, 5.5, 0.5), "86": (50, 5.5, 0.4), "87": (75, 7, 0.2),
        "89": (85, 6.5, 0.1), "91": (85, 10.5, 0.3), "92": (85, 13, 0.6), "93": (35, 4, 0.3),
        "94": (55, 4.5, 0.1), "95": (40, 4, 0.3), "96": (55, 6, 0.3),
    ]
}
