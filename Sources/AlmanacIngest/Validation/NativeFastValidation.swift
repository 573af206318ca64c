import AlmanacDomain

/// Validation of a native CSV without the per-row cost of the general path.
///
/// Every check of ``RowValidation`` depends only on the text of a few cells (and on the
/// catalogues and the agency, fixed for a run): the indicator on its cell, the period on
/// its cell, the region on its cell and the period, the scope on the indicator and the
/// region, the dimensions on the indicator and the dimension cells, the unit on its cell
/// and the indicator, status, release date and action each on its cell. Agency files
/// repeat those cells on every row, so each check runs once per distinct input, by the
/// code of ``RowValidation`` on the cell's text, and its outcome is cached by the cells'
/// raw bytes: a row's *context* (every cell but the period and the value) once per
/// distinct context, its period once per distinct period, the region for a period and the
/// scope once per combination. The value, different on every row, is checked on its bytes
/// when it is a plain ASCII decimal (`-?[0-9]+(.[0-9]+)?`, the only form ``DecimalText``
/// accepts) and its plausibility computed as ``RowValidation/checkValue(_:_:)`` does.
///
/// Only valid rows take this path. A row with any cell whose check failed (or could not be
/// cached: a cell or context too long, a full cache, a value not in the plain form, a
/// retraction) is validated by ``RowValidation`` itself, so issues, their order and their
/// wording are those of the general path by construction.
struct NativeFastValidation {
    let validator: SubmissionValidator

    func run(_ reader: NativeCSVReader) -> ValidationResult {
        var state = State(validator: validator, reader: reader)
        return state.validateAll()
    }

    private struct IndicatorEntry {
        var definition: IndicatorDefinition
        var code: String
        var family: String
        var unit: String
        var codeID: Int32
    }

    private struct RegionEntry {
        var region: Region
        var codeID: Int32
    }

    private struct DimsEntry {
        var dimensions: [String: String]
        var dims: [(name: String, value: String)]
        var dimsKey: String
        var dimsID: Int32
    }

    private struct PeriodEntry {
        var period: Period
        /// ``ValidationRun/periodNumber(_:)`` of the period.
        var number: Int32
        /// The day a region must exist on to be valid for the period (``Region/isValid(for:)``).
        var end: CalendarDate
    }

    /// What every cell of a row but the period and the value says, checked: the row's
    /// context. Files repeat it for every period of a series.
    private struct ContextEntry {
        var indicator: Int32
        var regionText: Int32
        var status: ObservationStatus
        var releaseDate: CalendarDate?
        var dims: Int32
        /// The context's regions (the candidates of its region text, in order) in `slots`;
        /// `slotsCount` is -1 until they are made.
        var slotsStart: Int32 = 0
        var slotsCount: Int32 = -1
    }

    /// A region the context's region text may name, and the context's series in it.
    private struct RegionSlot {
        var validFrom: CalendarDate?
        var validTo: CalendarDate?
        /// Index into `regions`.
        var region: Int32
        /// The series number; `unknown` until the scope is checked; `invalid` out of scope.
        var series: Int32
    }

    private static let unknown: Int32 = -3

    /// Outcome markers: the check failed (the row takes the general path); no such column.
    private static let invalid: Int32 = -1
    private static let absent: Int32 = -2

    private struct State {
        let validator: SubmissionValidator
        let reader: NativeCSVReader
        let csv: CSVReader
        let file: String
        let headerNames: [String]
        let cIndicator, cRegion, cPeriod, cValue, cUnit, cStatus, cRelease, cAction: Int
        let dimensionColumns: [(name: String, column: Int)]
        /// The columns of a row's context: all but the period and the value.
        let contextColumns: [Int]
        var run: ValidationRun

        /// Raw cell bytes → text number; `texts` holds each number's trimmed text (what the
        /// reader puts in a SourceObservation).
        let textMap = ByteKeyMap()
        var texts: [String] = []
        let indicatorMap = ByteKeyMap()
        var indicators: [IndicatorEntry] = []
        let periodMap = ByteKeyMap()
        var periods: [PeriodEntry] = []
        /// The context cells, joined → context number (or `invalid`).
        let contextMap = ByteKeyMap(entriesMax: 1 << 20, keyBytesMax: 4096)
        var contexts: [ContextEntry] = []
        var contextKey: UnsafeMutableRawPointer
        var contextKeyCapacity = 1024
        var regions: [RegionEntry] = []
        var slots: [RegionSlot] = []
        var regionByCode: [String: Int32] = [:]
        /// Per region text: the regions it may name (empty when the text itself is wrong).
        var regionCandidates: [[Region]?] = []
        var dimsEntries: [DimsEntry] = []
        /// (indicator, dimension texts...) → dims number, for contexts that share them.
        var dimsOf: [[Int32]: Int32] = [:]

        init(validator: SubmissionValidator, reader: NativeCSVReader) {
            self.validator = validator
            self.reader = reader
            csv = reader.csvReader
            file = reader.fileName
            headerNames = reader.headerNames
            cIndicator = reader.column(of: .indicator) ?? -1
            cRegion = reader.column(of: .region) ?? -1
            cPeriod = reader.column(of: .period) ?? -1
            cValue = reader.column(of: .value) ?? -1
            cUnit = reader.column(of: .unit) ?? -1
            cStatus = reader.column(of: .status) ?? -1
            cRelease = reader.column(of: .releaseDate) ?? -1
            cAction = reader.column(of: .action) ?? -1
            dimensionColumns = reader.dimensionColumnList
            contextColumns = (0..<reader.headerNames.count).filter { $0 != reader.column(of: .period) && $0 != reader.column(of: .value) }
            run = ValidationRun(options: validator.options)
            run.stream = validator.stream
            contextKey = UnsafeMutableRawPointer.allocate(byteCount: contextKeyCapacity, alignment: 8)
        }

        mutating func validateAll() -> ValidationResult {
            defer { contextKey.deallocate() }
            let options = validator.options
            while true {
                let more: Bool
                do {
                    more = try reader.nextRawRecord()
                } catch {
                    run.record(SubmissionValidator.issue(for: error), fileLevel: true)
                    break
                }
                guard more else { break }
                if run.rowsRead >= options.maxRows {
                    run.record(.tooManyRows(at: reader.currentObservation().location, max: options.maxRows), fileLevel: true)
                    break
                }
                run.rowsRead += 1
                if run.rowsRead == 1, let size = csv.source.knownSize {
                    // Room for the rows the file probably holds, judged by its first row.
                    let rowBytes = csv.withRawRecord { $0.bytes.count + $0.ends.count } + 1
                    run.reserve(min(options.maxRows, Int(size / Int64(rowBytes)) + 16))
                }
                if fastRow() { continue }
                // The general path, exactly as `SubmissionValidator.validate(_:)` runs it.
                let source = reader.currentObservation()
                var row = validation(source)
                let observation = row.run()
                for issue in row.issues { run.record(issue, fileLevel: issue.code == "out_of_scope") }
                if let observation { run.add(observation, from: source) }
            }
            return run.result(skipped: reader.skippedRecordCount)
        }

        func validation(_ source: SourceObservation) -> RowValidation {
            RowValidation(source: source, format: .nativeCSV, indicators: validator.indicators, regions: validator.regions,
                          agency: validator.agency)
        }

        /// A validation of a made-up row holding only the cells a check reads.
        func probe(indicator: String = "", region: String = "", period: String = "", value: String = "",
                   unit: String? = nil, status: String? = nil, releaseDate: String? = nil, action: String? = nil,
                   dimensions: [String: String] = [:], fields: [SourceField: FieldLocation] = [:]) -> RowValidation {
            validation(SourceObservation(indicator: indicator, region: region, period: period, value: value, unit: unit,
                                         status: status, releaseDate: releaseDate, action: action, dimensions: dimensions,
                                         location: SourceLocation(file: file, record: 0, line: nil, fields: fields)))
        }

        static func cellText(_ raw: UnsafeRawBufferPointer) -> String {
            String(decoding: raw, as: UTF8.self).trimmingWhitespace()
        }

        /// The text number of column `c`'s cell (`absent` without such a column, `invalid`
        /// when it cannot be cached).
        mutating func textID(_ c: Int, _ record: RawRecord) -> Int32 {
            guard c >= 0 else { return NativeFastValidation.absent }
            let raw = record[c]
            return textMap.value(for: raw) {
                texts.append(State.cellText(raw))
                return Int32(texts.count - 1)
            } ?? NativeFastValidation.invalid
        }

        /// The optional cell's text as the reader gives it: nil when empty or absent.
        func optionalText(_ id: Int32) -> String? {
            guard id >= 0 else { return nil }
            let t = texts[Int(id)]
            return t.isEmpty ? nil : t
        }

        /// The indicator entry of the row's indicator cell, or `invalid`.
        mutating func indicator(_ record: RawRecord) -> Int32 {
            let raw = record[cIndicator]
            return indicatorMap.value(for: raw) {
                var v = probe(indicator: State.cellText(raw))
                guard let d = v.checkIndicator(), v.issues.isEmpty else { return NativeFastValidation.invalid }
                indicators.append(IndicatorEntry(definition: d, code: d.code, family: d.family, unit: d.unit, codeID: run.intern(d.code)))
                return Int32(indicators.count - 1)
            } ?? NativeFastValidation.invalid
        }

        /// The context of the row (every cell but period and value), checked; `invalid`
        /// when a check fails.
        mutating func context(_ record: RawRecord) -> Int32 {
            // The key: the context cells' bytes, each followed by a NUL (which no cell holds).
            var length = 0
            for c in contextColumns {
                let raw = record[c]
                if length + raw.count + 1 > contextKeyCapacity {
                    var capacity = contextKeyCapacity * 2
                    while capacity < length + raw.count + 1 { capacity *= 2 }
                    let grown = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
                    grown.copyMemory(from: contextKey, byteCount: length)
                    contextKey.deallocate()
                    contextKey = grown
                    contextKeyCapacity = capacity
                }
                if raw.count > 0 { (contextKey + length).copyMemory(from: raw.baseAddress!, byteCount: raw.count) }
                length += raw.count
                contextKey.storeBytes(of: 0, toByteOffset: length, as: UInt8.self)
                length += 1
            }
            let key = UnsafeRawBufferPointer(start: contextKey, count: length)
            if let c = contextMap.find(key) { return c }
            // A context that cannot be cached (too long, or the cache is full) takes the
            // general path, so the tables here stay bounded.
            guard contextMap.accepts(length: length) else { return NativeFastValidation.invalid }
            let entry = makeContext(record)
            _ = contextMap.insert(UnsafeRawBufferPointer(start: contextKey, count: length), value: entry)
            return entry
        }

        /// Checks the context cells of the current row.
        mutating func makeContext(_ record: RawRecord) -> Int32 {
            let invalid = NativeFastValidation.invalid
            let ind = indicator(record)
            guard ind >= 0 else { return invalid }
            let definition = indicators[Int(ind)].definition
            let regionText = textID(cRegion, record)
            guard regionText >= 0 else { return invalid }
            var status = ObservationStatus.default
            if cStatus >= 0 {
                let t = textID(cStatus, record)
                guard t >= 0 else { return invalid }
                var v = probe(status: optionalText(t))
                guard let s = v.checkStatus(), v.issues.isEmpty else { return invalid }
                status = s
            }
            var releaseDate: CalendarDate?
            if cRelease >= 0 {
                let t = textID(cRelease, record)
                guard t >= 0 else { return invalid }
                var v = probe(releaseDate: optionalText(t))
                guard let d = v.checkReleaseDate(), v.issues.isEmpty else { return invalid }
                releaseDate = d
            }
            if cAction >= 0 {
                let t = textID(cAction, record)
                guard t >= 0 else { return invalid }
                var v = probe(action: optionalText(t))
                // Retractions (rare) take the general path: their value may be empty.
                guard let a = v.checkAction(), v.issues.isEmpty, a == .report else { return invalid }
            }
            let unitText = textID(cUnit, record)
            guard unitText != invalid else { return invalid }
            var unit = probe(unit: optionalText(unitText))
            guard unit.checkUnit(definition), unit.issues.isEmpty else { return invalid }
            // Dimensions, for the indicator.
            var dimsKey: [Int32] = [ind]
            for d in dimensionColumns {
                let t = textID(d.column, record)
                guard t >= 0 else { return invalid }
                dimsKey.append(t)
            }
            let dims: Int32
            if let known = dimsOf[dimsKey] {
                dims = known
            } else {
                var given: [String: String] = [:]
                var fields: [SourceField: FieldLocation] = [:]
                for (j, d) in dimensionColumns.enumerated() {
                    let text = texts[Int(dimsKey[j + 1])]
                    guard !text.isEmpty else { continue }
                    given[d.name] = text
                    fields[.dimension(d.name)] = FieldLocation(header: headerNames[d.column], columnNumber: d.column + 1,
                                                               position: TextPosition(line: 1, column: 1))
                }
                var v = probe(dimensions: given, fields: fields)
                var entry = invalid
                if let checked = v.checkDimensions(definition), v.issues.isEmpty {
                    let (sorted, key) = ValidationRun.sortedDimensions(checked)
                    entry = Int32(dimsEntries.count)
                    dimsEntries.append(DimsEntry(dimensions: checked, dims: sorted, dimsKey: key, dimsID: run.intern(key)))
                }
                dimsOf[dimsKey] = entry
                dims = entry
            }
            guard dims >= 0 else { return invalid }
            let c = Int32(contexts.count)
            contexts.append(ContextEntry(indicator: ind, regionText: regionText, status: status, releaseDate: releaseDate, dims: dims))
            return c
        }

        /// The period entry of the row's period cell, or `invalid`.
        mutating func period(_ record: RawRecord) -> Int32 {
            let raw = record[cPeriod]
            return periodMap.value(for: raw) {
                var v = probe(period: State.cellText(raw))
                guard let p = v.checkPeriod(), v.issues.isEmpty else { return NativeFastValidation.invalid }
                periods.append(PeriodEntry(period: p, number: run.periodNumber(p), end: p.endDate))
                return Int32(periods.count - 1)
            } ?? NativeFastValidation.invalid
        }

        /// The whole row through the fast path; false when it must take the general one.
        mutating func fastRow() -> Bool {
            let csv = self.csv
            return csv.withRawRecord { record in fastRow(record) }
        }

        mutating func fastRow(_ record: RawRecord) -> Bool {
            let ctx = context(record)
            guard ctx >= 0 else { return false }
            let per = period(record)
            guard per >= 0 else { return false }
            if contexts[Int(ctx)].slotsCount < 0 { makeSlots(ctx) }
            // The region for the period: the first the text may name that is valid then
            // (what `checkRegion` resolves); then the scope and the series, once per context
            // and region.
            let end = periods[Int(per)].end
            let start = Int(contexts[Int(ctx)].slotsStart), count = Int(contexts[Int(ctx)].slotsCount)
            var slot = -1
            for i in start..<(start + count) {
                if let from = slots[i].validFrom, end < from { continue }
                if let to = slots[i].validTo, to < end { continue }
                slot = i
                break
            }
            guard slot >= 0 else { return false }
            if slots[slot].series == NativeFastValidation.unknown { slots[slot].series = series(ctx, slots[slot].region) }
            let series = slots[slot].series
            guard series >= 0 else { return false }
            let ind = Int(contexts[Int(ctx)].indicator)
            // The value: a plain decimal, plausible for the indicator.
            guard let value = NativeFastValidation.plainDecimal(record[cValue], range: indicators[ind].definition.range) else {
                return false
            }
            let observation = ValidatedObservation(indicator: indicators[ind].code, family: indicators[ind].family,
                                                   region: regions[Int(slots[slot].region)].region.code,
                                                   period: periods[Int(per)].period, dimensions: dimsEntries[Int(contexts[Int(ctx)].dims)].dimensions,
                                                   value: value, unit: indicators[ind].unit, status: contexts[Int(ctx)].status,
                                                   releaseDate: contexts[Int(ctx)].releaseDate, action: .report, line: csv.rawRecordLine)
            let reader = self.reader
            run.add(observation, key: ValidationRun.key(series: series, period: periods[Int(per)].number), series: series,
                    source: { reader.currentObservation() })
            return true
        }

        /// The regions the context's region text may name (``RowValidation/regionCandidates``,
        /// found once per text), as slots of the context.
        mutating func makeSlots(_ ctx: Int32) {
            let text = Int(contexts[Int(ctx)].regionText)
            while regionCandidates.count <= text { regionCandidates.append(nil) }
            if regionCandidates[text] == nil {
                regionCandidates[text] = RowValidation.regionCandidates(texts[text], format: .nativeCSV, regions: validator.regions) ?? []
            }
            contexts[Int(ctx)].slotsStart = Int32(slots.count)
            for r in regionCandidates[text]! {
                // One entry per region, so that the series of a context is per region.
                let entry: Int32
                if let known = regionByCode[r.code] {
                    entry = known
                } else {
                    entry = Int32(regions.count)
                    regions.append(RegionEntry(region: r, codeID: run.intern(r.code)))
                    regionByCode[r.code] = entry
                }
                slots.append(RegionSlot(validFrom: r.validFrom, validTo: r.validTo, region: entry, series: NativeFastValidation.unknown))
            }
            contexts[Int(ctx)].slotsCount = Int32(slots.count) - contexts[Int(ctx)].slotsStart
        }

        /// The series of the context in region `reg`, or `invalid` when the agency may not
        /// submit the indicator for the region.
        mutating func series(_ ctx: Int32, _ reg: Int32) -> Int32 {
            let ind = Int(contexts[Int(ctx)].indicator)
            var v = probe()
            v.checkScope(indicators[ind].definition, regions[Int(reg)].region)
            guard v.issues.isEmpty else { return NativeFastValidation.invalid }
            let dims = dimsEntries[Int(contexts[Int(ctx)].dims)]
            let code = indicators[ind].code, codeID = indicators[ind].codeID
            let region = regions[Int(reg)]
            return run.seriesNumber(indicator: codeID, region: region.codeID, dims: dims.dimsID) {
                SeriesIdentity(indicator: code, region: region.region.code, dims: dims.dims, dimsKey: dims.dimsKey)
            }
        }
    }

    /// The value text when `raw` (a cell) is a plain ASCII decimal that ``DecimalText``
    /// accepts and that lies in the indicator's plausible `range`, as
    /// ``RowValidation/checkValue(_:_:)`` decides; nil otherwise (the row then takes the
    /// general path).
    static func plainDecimal(_ raw: UnsafeRawBufferPointer, range: PlausibleRange) -> String? {
        guard let base = raw.baseAddress else { return nil }
        var start = 0
        var end = raw.count
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while start < end, isSpace(raw[start]) { start += 1 }
        while end > start, isSpace(raw[end - 1]) { end -= 1 }
        let n = end - start
        guard n > 0, n <= DecimalText.charactersMax else { return nil }
        var i = start
        let negative = raw[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        let intStart = i
        var significant = 0
        var nonZero = false
        @inline(__always) func digit(_ b: UInt8) {
            if b != UInt8(ascii: "0") { nonZero = true }
            if nonZero { significant += 1 }
        }
        while i < end, raw[i] &- UInt8(ascii: "0") < 10 { digit(raw[i]); i += 1 }
        guard i > intStart else { return nil }
        if i < end {
            guard raw[i] == UInt8(ascii: "."), i + 1 < end else { return nil }
            i += 1
            let fracStart = i
            while i < end, raw[i] &- UInt8(ascii: "0") < 10 { digit(raw[i]); i += 1 }
            guard i > fracStart, i == end else { return nil }
        }
        guard significant <= DecimalText.significantDigitsMax else { return nil }
        let text = String(decoding: UnsafeRawBufferPointer(start: base + start, count: n), as: UTF8.self)
        // `DecimalText.isNegative`: below zero, so `-0.0` is not.
        if negative && nonZero && !range.negativesAllowed { return nil }
        guard let number = Double(text) else { return nil }
        if let min = range.min, number < min { return nil }
        if let max = range.max, number > max { return nil }
        return text
    }
}
