import AlmanacDomain

/// How final a figure is, as the agency says (DESIGN.md §2).
///
/// A row without a status is `final`: `preliminary` is not a safe default, because a
/// figure silently marked preliminary would later look "revised" when the agency never
/// meant to revise it, and because Almanac's own format (DESIGN.md §5) treats the status
/// column as optional for files of final accounts.
public enum ObservationStatus: String, Sendable, Codable, CaseIterable {
    case preliminary, estimated, revised, final

    /// The status when a file says nothing.
    public static let `default` = ObservationStatus.final

    /// Spellings accepted in any format, after ``TextFolding/fold(_:)`` (case, accents and
    /// spacing ignored), including the Vietnamese words GSO prints (`sơ bộ`, `ước tính`).
    static let words: [String: ObservationStatus] = [
        "p": .preliminary, "prel": .preliminary, "prel.": .preliminary, "preliminary": .preliminary,
        "provisional": .preliminary, "so bo": .preliminary,
        "e": .estimated, "est": .estimated, "est.": .estimated, "estimated": .estimated, "estimate": .estimated,
        "uoc tinh": .estimated,
        "r": .revised, "rev": .revised, "rev.": .revised, "revised": .revised,
        "f": .final, "final": .final, "chinh thuc": .final,
    ]

    /// SDMX `OBS_STATUS` letters (codelist CL_OBS_STATUS) that map onto an Almanac status.
    ///
    /// In SDMX `F` means *forecast*, not final, and `A` means a normal value; so SDMX
    /// files read single letters through this table and no other letter is accepted.
    static let sdmxCodes: [String: ObservationStatus] = ["A": .final, "P": .preliminary, "E": .estimated]

    /// Reads a status as written.
    ///
    /// - Parameters:
    ///   - text: the cell, e.g. `p`, `Prel`, `FINAL`, `sơ bộ`.
    ///   - sdmx: whether the text is an SDMX `OBS_STATUS` code (single letters follow SDMX).
    /// - Returns: the status, or nil when the text is not a status Almanac knows.
    public static func parse(_ text: String, sdmx: Bool = false) -> ObservationStatus? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if sdmx, trimmed.count == 1 { return sdmxCodes[trimmed.uppercased()] }
        return words[TextFolding.fold(trimmed)]
    }

    /// The spellings to suggest in an error hint.
    static func acceptedSpellings(sdmx: Bool) -> String {
        sdmx ? "write A (final), P (preliminary) or E (estimated), or a status word such as revised"
             : "write preliminary (p), estimated (e), revised (r) or final (f)"
    }
}

/// Whether a row reports a value or withdraws one reported earlier.
public enum ObservationAction: String, Sendable {
    /// The default: the row states a value.
    case report
    /// The row withdraws the value with its key; its value may be empty.
    case retract

    /// Reads `report` or `retract` (case and surrounding spaces ignored), or nil.
    public static func parse(_ text: String) -> ObservationAction? {
        ObservationAction(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
