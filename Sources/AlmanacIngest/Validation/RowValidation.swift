import AlmanacDomain

/// The checks of one row: each field is checked on its own, so a row with three bad
/// cells gets three issues; checks that need another field (plausibility needs the
/// indicator, region validity the period) run only when that field is good.
struct RowValidation {
    let source: SourceObservation
    let format: SourceFormat
    let indicators: IndicatorCatalogue
    let regions: RegionCatalogue
    let agency: Agency?
    /// The row's issues, in column order after ``run()``.
    private(set) var issues: [ValidationIssue] = []

    init(source: SourceObservation, format: SourceFormat, indicators: IndicatorCatalogue, regions: RegionCatalogue,
         agency: Agency?) {
        self.source = source
        self.format = format
        self.indicators = indicators
        self.regions = regions
        self.agency = agency
    }

    /// Labels of subtotal rows that are not accepted as regions in the native CSV, folded.
    static let subtotalLabels: Set<String> = ["whole country", "ca nuoc", "toan quoc"]

    /// Whether the row comes from an SDMX format (status letters follow SDMX).
    var isSDMX: Bool { format == .sdmxCSV1 || format == .sdmxCSV2 || format == .sdmxJSON }

    /// Checks every field; the observation when the row is valid, else nil with `issues`.
    mutating func run() -> ValidatedObservation? {
        let action = checkAction()
        let status = checkStatus()
        let releaseDate = checkReleaseDate()
        let indicator = checkIndicator()
        let period = checkPeriod()
        let region = checkRegion(period)
        if let indicator, let region { checkScope(indicator, region) }
        let dimensions = indicator.flatMap { checkDimensions($0) }
        let value = checkValue(action ?? .report, indicator)
        let unitOK = indicator.map { checkUnit($0) } ?? false
        issues = issues.enumerated().sorted { a, b in
            (a.element.column ?? Int.max, a.offset) < (b.element.column ?? Int.max, b.offset)
        }.map(\.element)
        guard issues.isEmpty, let action, let status, let releaseDate, let indicator, let period, let region, let dimensions,
              let value, unitOK else { return nil }
        return ValidatedObservation(indicator: indicator.code, family: indicator.family, region: region.code,
                                    period: period, dimensions: dimensions, value: value.text, unit: indicator.unit,
                                    status: status, releaseDate: releaseDate, action: action,
                                    line: source.location.line)
    }

    /// Records an issue located at `field`'s cell.
    mutating func fail(_ field: SourceField?, _ code: String, value: String?, _ message: String, hint: String? = nil) {
        let location = field.flatMap { source.location.fields[$0] }
        issues.append(ValidationIssue(file: source.location.file, line: source.location.line,
                                      column: location?.columnNumber, field: location?.header ?? field?.description,
                                      value: value, code: code, message: message, hint: hint,
                                      path: source.location.path))
    }

    /// `"text"`, escaped and cut; see ``ValidationText/quote(_:)``.
    func q(_ text: String) -> String { ValidationText.quote(text) }

    /// `a`, `a or b`, `a, b or c`.
    static func alternatives(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + items.last!
    }

    // MARK: - Indicator, period, region, scope

    mutating func checkIndicator() -> IndicatorDefinition? {
        let text = source.indicator
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(.indicator, "missing_field", value: text, "empty indicator", hint: "write an indicator code such as budget.revenue")
            return nil
        }
        let catalogue = indicators
        if rejectLookAlikes(.indicator, text, what: "indicator", meant: { catalogue.indicator(code: $0)?.code }) { return nil }
        if let found = indicators.indicator(code: text) { return found }
        let near = indicators.suggestions(for: text)
        let hint: String
        if !near.isEmpty {
            hint = "did you mean \(RowValidation.alternatives(near))?"
        } else if isSDMX {
            hint = "add a rule for it to the mapping file, or see `almanac catalogue` for the indicators"
        } else {
            hint = "see `almanac catalogue` for the indicators"
        }
        fail(.indicator, "unknown_indicator", value: text, "unknown indicator \(q(text))", hint: hint)
        return nil
    }

    mutating func checkPeriod() -> Period? {
        do {
            return try Period.parse(source.period)
        } catch {
            fail(.period, "bad_period", value: source.period, error.message, hint: error.hint)
            return nil
        }
    }

    /// Resolves the region (for the period when it is known) and checks it exists then.
    mutating func checkRegion(_ period: Period?) -> Region? {
        let text = source.region
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            fail(.region, "missing_field", value: text, "empty region",
                 hint: "write a region code such as 19 or a name such as Thái Nguyên")
            return nil
        }
        let catalogue = regions
        if rejectLookAlikes(.region, text, what: "region", meant: { catalogue.resolve($0)?.description }) { return nil }
        if format == .nativeCSV, RowValidation.subtotalLabels.contains(TextFolding.fold(text)) {
            fail(.region, "unknown_region", value: text, "unknown region \(q(text))", hint: "use VN for the whole country")
            return nil
        }
        guard let region = period.map({ regions.resolve(text, for: $0) }) ?? regions.resolve(text) else {
            var near = regions.suggestions(for: text, limit: 6)
            if let period, near.contains(where: { $0.isValid(for: period) }) { near = near.filter { $0.isValid(for: period) } }
            // Only the closest: "Thai Ngyen" is one edit from Thái Nguyên, two from Tây Nguyên.
            let key = TextFolding.fold(TextFolding.replacingLookAlikes(text))
            let distances = near.map { r in
                min(DidYouMean.distance(key, TextFolding.fold(r.name)), DidYouMean.distance(key, TextFolding.fold(r.code)))
            }
            let best = distances.min() ?? 0
            let named = zip(near, distances).filter { $0.1 == best }.prefix(3).map { "\(q($0.0.name)) (\($0.0.code))" }
            let hint = named.isEmpty
                ? (isSDMX ? "map it to an Almanac region code in the mapping file's \"regions\""
                          : "write a region code (19, 19N, NMM, VN) or a province name")
                : "did you mean \(RowValidation.alternatives(named))?"
            fail(.region, "unknown_region", value: text, "unknown region \(q(text))", hint: hint)
            return nil
        }
        if let period, !region.isValid(for: period) {
            reportInvalid(region, for: period)
            return nil
        }
        return region
    }

    /// The regions `text` may name when ``checkRegion(_:)`` finds nothing wrong with the text
    /// itself (not empty, no look-alike characters, not a subtotal label of the native CSV):
    /// then it gives the first of them valid for the period, or an issue when none is (or
    /// there are none). Nil when the text itself has a problem. For caching the check of a
    /// region cell once, whatever the period.
    static func regionCandidates(_ text: String, format: SourceFormat, regions: RegionCatalogue) -> [Region]? {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty, TextFolding.lookAlikes(in: text).isEmpty else { return nil }
        if format == .nativeCSV, subtotalLabels.contains(TextFolding.fold(text)) { return nil }
        return regions.candidates(text)
    }

    /// A `region_not_valid_for_period` issue naming the region to write instead.
    mutating func reportInvalid(_ region: Region, for period: Period) {
        var message = "\(region.name) (\(region.code)) is not a region for \(period)"
        var hint: String?
        if let end = region.validTo, end < period.endDate {
            message += ": it ended on \(end)"
            if let next = regions.successor(of: region.code), let start = next.validFrom {
                hint = next.name == region.name ? "from \(start) \(region.name) is \(next.code)"
                                                : "from \(start) \(region.name) is part of \(next.name) (\(next.code))"
            }
        } else if let start = region.validFrom {
            message += ": it exists from \(start)"
            let before = regions.predecessors(of: region.code).map { "\($0.name) (\($0.code))" }
            if !before.isEmpty {
                hint = "before \(start) use the provinces it was formed from: " + before.joined(separator: ", ")
            }
        }
        fail(.region, "region_not_valid_for_period", value: source.region, message, hint: hint)
    }

    mutating func checkScope(_ indicator: IndicatorDefinition, _ region: Region) {
        guard let agency, !agency.permits(family: indicator.family, region: region.code) else { return }
        let familyOK = agency.families.map { $0.contains(indicator.family.lowercased()) } ?? true
        let families = agency.families.map { $0.isEmpty ? "no families" : $0.sorted().joined(separator: ", ") } ?? "all families"
        let scopeRegions = agency.regions.map { r -> String in
            if r.isEmpty { return "no regions" }
            let sorted = r.sorted()
            return sorted.prefix(10).joined(separator: ", ") + (sorted.count > 10 ? ", …" : "")
        } ?? "all regions"
        fail(familyOK ? .region : .indicator, "out_of_scope", value: familyOK ? source.region : source.indicator,
             "agency \(agency.id) may not submit \(indicator.family) figures for \(region.name) (\(region.code))",
             hint: "its scope is \(families) for \(scopeRegions)")
    }

    /// Reports look-alike or invisible characters in `text`; true when there were any.
    mutating func rejectLookAlikes(_ field: SourceField, _ text: String, what: String,
                                   meant: (String) -> String?) -> Bool {
        let found = TextFolding.lookAlikes(in: text)
        guard let first = found.first else { return false }
        let hex = "U+" + String(first.scalar, radix: 16, uppercase: true).leftPadded(to: 4)
        var message = "\(what) \(q(text)) contains "
        if let latin = first.resembles {
            message += "the \(first.script) letter '\(first.character)' (\(hex)) that looks like Latin '\(latin)'"
        } else {
            message += "an invisible character (\(hex))"
        }
        if found.count > 1 { message += ", and \(found.count - 1) more such character\(found.count > 2 ? "s" : "")" }
        let intended = meant(TextFolding.replacingLookAlikes(text))
        fail(field, "look_alike_characters", value: text, message,
             hint: intended.map { "retype it in Latin letters: it looks like \($0)" } ?? "retype it in Latin letters")
        return true
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
