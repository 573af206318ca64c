import AlmanacDomain

/// Checks every row of an agency file against the catalogues and the agency's scope, and
/// says precisely what is wrong with each bad row (DESIGN.md §5, TESTING.md's list).
///
/// ## What a row must satisfy
///
/// | Field | Rule | Issue code |
/// |---|---|---|
/// | indicator | a catalogue code (case ignored) | `unknown_indicator`, `missing_field` |
/// | region | code or name, accents/case/NFD optional; `NMM`, `VN` are regions too | `unknown_region`, `missing_field` |
/// | region | no Cyrillic/Greek/fullwidth/invisible look-alikes | `look_alike_characters` |
/// | region | valid for the period (63 provinces to 2025-06-30, 34 units after) | `region_not_valid_for_period` |
/// | period | ``Period/parse(_:)`` | `bad_period` |
/// | value | ``DecimalText`` (no `..`, `1.234,5`, `0.9 u`, `NaN`, `1e308`) | `bad_value` |
/// | value | within the indicator's ``PlausibleRange`` (sign included) | `implausible_value` |
/// | unit | optional; with SDMX `UNIT_MULT`, the indicator's unit and scale | `unit_mismatch`, `unknown_unit`, `bad_unit_multiplier` |
/// | dimensions | names and values of the indicator; defaults filled in | `unknown_dimension`, `bad_dimension_value`, `missing_dimension` |
/// | status | empty (→ `final`), p/prel/preliminary, e/est, r/rev, f/final | `bad_status` |
/// | release_date | `YYYY-MM-DD` | `bad_release_date` |
/// | action | empty (→ `report`), `report`, `retract` (value may be empty) | `bad_action` |
/// | scope | ``Agency/permits(family:region:)`` | `out_of_scope` |
///
/// A row gets one issue per bad field, in column order. Across rows: the same key twice
/// with a different value, status, action or release date is a `duplicate_conflict` on the
/// later row, naming the earlier row's line; the same key twice with the same (numerically
/// equal) value, status, action and release date is accepted once, without an issue, and
/// counted in ``ValidationResult/identicalDuplicates``.
///
/// File-level issues: a reader error ends reading and becomes one issue (`encoding` for
/// UTF-16, invalid UTF-8 and NUL bytes; `structure` for empty or header-only files, ragged
/// rows, quotes, missing columns, bad JSON; `limit` for over-long records, too many fields,
/// too-large files; `mapping` for mapping problems; `io`); more than
/// ``ValidationOptions/maxRows`` rows gives `too_many_rows`; an SDMX message whose
/// declared sender (`meta.sender.id`) is not the submitting agency gives `sender_mismatch`.
///
/// ## Choices worth knowing
///
/// - In the native CSV, subtotal labels (`WHOLE COUNTRY`, `Cả nước`, `Toàn quốc`) are
///   unknown regions with the hint to write `VN`: a subtotal row copied from a GSO table
///   is usually double counting. PX-Web mappings translate them explicitly instead.
/// - `19` for a period after the merger is `19N` (the catalogue's
///   ``RegionCatalogue/resolve(_:for:)``: agencies keep writing the two-digit code); a
///   province that disappeared in the merger (`06` Bắc Kạn in 2025-Q3) or a new unit
///   before July 2025 (`19N` in 2021) is rejected.
/// - The agency prefix of an SDMX dataflow (`OECD:DF_…`) is *not* checked: it names the
///   maintainer of the structure, which is often not the sender (a GSO file may use an
///   OECD or IMF dataflow). Only a declared sender is compared with the agency.
/// - Cells are never evaluated: a cell such as `=HYPERLINK(…)` is an unknown value, quoted
///   with ``ValidationText/quote(_:)``.
public struct SubmissionValidator: Sendable {
    /// Indicators rows may name.
    public let indicators: IndicatorCatalogue
    /// Regions rows may name.
    public let regions: RegionCatalogue
    /// The submitting agency, whose scope every row must be in; nil checks no scope.
    public let agency: Agency?
    /// Limits and partial mode.
    public let options: ValidationOptions
    /// Whether native CSV files take ``NativeFastValidation`` (same results, cached checks);
    /// tests turn it off to compare the two paths.
    var nativeFastPath = true
    /// Where valid rows go in chunks while the validation runs (an ingest projects them).
    package var stream: ObservationStream?

    /// Creates a validator.
    public init(indicators: IndicatorCatalogue, regions: RegionCatalogue, agency: Agency?, options: ValidationOptions = .init()) {
        self.indicators = indicators
        self.regions = regions
        self.agency = agency
        self.options = options
    }

    /// Reads every row of the reader; a reader error (``IngestError``) becomes an issue
    /// that ends reading.
    ///
    /// - Parameter reader: a freshly opened reader; it is drained.
    /// - Returns: the valid rows and every issue, in file order.
    public func validate(_ reader: any ObservationReader) -> ValidationResult {
        if nativeFastPath, let native = reader as? NativeCSVReader {
            return NativeFastValidation(validator: self).run(native)
        }
        var run = ValidationRun(options: options)
        run.stream = stream
        var senderChecked = false
        if let issue = senderIssue(reader) {
            run.record(issue, fileLevel: true)
            senderChecked = true
        }
        while true {
            let source: SourceObservation?
            do {
                source = try reader.next()
            } catch {
                run.record(SubmissionValidator.issue(for: error), fileLevel: true)
                break
            }
            guard let source else { break }
            if run.rowsRead >= options.maxRows {
                run.record(.tooManyRows(at: source.location, max: options.maxRows), fileLevel: true)
                break
            }
            run.rowsRead += 1
            var row = RowValidation(source: source, format: reader.format, indicators: indicators, regions: regions,
                                    agency: agency)
            let observation = row.run()
            for issue in row.issues { run.record(issue, fileLevel: issue.code == "out_of_scope") }
            if let observation { run.add(observation, from: source) }
        }
        // SDMX-JSON readers may learn the sender only while reading; it belongs first.
        if !senderChecked, let issue = senderIssue(reader) { run.record(issue, fileLevel: true, atStart: true) }
        let missingCells = (reader as? PXWebReader)?.missingCellCount ?? 0
        return run.result(skipped: reader.skippedRecordCount + missingCells)
    }

    /// Opens `path` and validates it; an error opening it (UTF-16, an empty file, a
    /// missing column, a bad mapping) becomes the result's only issue.
    public func validate(path: String, format: SourceFormat? = nil, mapping: SourceMapping? = nil,
                         displayName: String? = nil, limits: CSVLimits = .default) -> ValidationResult {
        let reader: any ObservationReader
        do {
            reader = try ObservationReaders.open(path: path, format: format, mapping: mapping, displayName: displayName,
                                                 limits: limits)
        } catch {
            var run = ValidationRun(options: options)
            run.record(SubmissionValidator.issue(for: error), fileLevel: true)
            return run.result(skipped: 0)
        }
        return validate(reader)
    }

    /// The issue for a reader error, located where the reader found it.
    public static func issue(for error: IngestError) -> ValidationIssue {
        let code: String
        switch error.kind {
        case .utf16, .invalidUTF8, .nulByte: code = "encoding"
        case .emptyFile, .headerOnly, .unbalancedQuote, .strayQuote, .raggedRow, .missingColumn, .duplicateColumn,
             .unnamedColumn, .invalidJSON, .invalidStructure, .unknownFormat:
            code = "structure"
        case .recordTooLong, .tooManyFields, .fileTooLarge: code = "limit"
        case .invalidMapping, .unmappedRow: code = "mapping"
        case .io: code = "io"
        }
        return ValidationIssue(file: error.file, line: error.line, column: error.column, code: code,
                               message: error.reason, hint: error.hint)
    }

    /// A `sender_mismatch` issue when the message declares a sender other than the agency.
    ///
    /// The sender matches when its id equals the agency id (case ignored) or the agency's
    /// name (after folding).
    func senderIssue(_ reader: any ObservationReader) -> ValidationIssue? {
        guard let agency, let sender = reader.sender else { return nil }
        let id = sender.id.trimmingCharacters(in: .whitespaces)
        let agencyName = TextFolding.fold(agency.name)
        // The id is what identifies a party in SDMX; a matching display name next to
        // another agency's id (`IMF`, "European Central Bank") is not enough.
        if id.lowercased() == agency.id || TextFolding.fold(id) == agencyName { return nil }
        return ValidationIssue(file: reader.fileName, field: "sender", value: sender.id, code: "sender_mismatch",
                               message: "the message's sender \(ValidationText.quote(sender.id)) is not the submitting agency \(agency.id)",
                               hint: "an agency may submit only messages it sent itself; check meta.sender in the message")
    }
}
