import AlmanacDomain

/// A series as the decide-events stage needs it: indicator and region codes and the
/// dimensions sorted by name, with their `k=v;k=v` text.
package struct SeriesIdentity: Sendable {
    package var indicator: String
    package var region: String
    package var dims: [(name: String, value: String)]
    package var dimsKey: String

    package init(indicator: String, region: String, dims: [(name: String, value: String)], dimsKey: String) {
        self.indicator = indicator
        self.region = region
        self.dims = dims
        self.dimsKey = dimsKey
    }
}

/// Receives the valid rows of a validation in chunks while it runs (an ingest projects
/// them meanwhile). A chunk holds the next observations, in order, their series, and the
/// series first seen since the previous chunk. The rows are final unless the result says
/// otherwise (``ValidationResult/streamedAsIs``): in partial mode, rows whose key a later
/// row contradicts are left out of the result at the end.
package final class ObservationStream: @unchecked Sendable {
    package struct Chunk: Sendable {
        package var observations: [ValidatedObservation]
        package var seriesOfObservation: [Int32]
        package var newSeries: [SeriesIdentity]
    }

    package let chunkSize: Int
    let handler: (Chunk) -> Void

    package init(chunkSize: Int, handler: @escaping (Chunk) -> Void) {
        self.chunkSize = max(1, chunkSize)
        self.handler = handler
    }
}

/// The state of one validation: accepted rows, issues and the keys seen so far.
///
/// Memory is bounded by ``ValidationOptions/maxRows`` (one key per accepted row) and
/// ``ValidationOptions/maxIssues``.
struct ValidationRun {
    let options: ValidationOptions
    var observations: [ValidatedObservation] = []
    var issues: [ValidationIssue] = []
    var issueCount = 0
    var rowsRead = 0
    var identicalDuplicates = 0
    /// Whether an issue rejects the whole file even in partial mode.
    var hasFileLevelIssue = false
    // An observation's identity is (series, period): the series is numbered by its
    // interned indicator code, region code and dimensions text (``ValidatedObservation/key``'s
    // parts), the period by its months; two observations have the same number exactly
    // when their `key` strings are equal.
    /// Key (series << 32 | period number) → index in `observations` of the row that first
    /// gave it; made only once a key may repeat (see `seenBits`).
    private let firstByKey = IntMap(capacity: 1024)
    private var exactIndex = false
    /// Until then: for the first `denseSeries` series and the first `densePeriods` period
    /// numbers, a bit per key that has been seen (a few cache lines per series, where a hash
    /// table of every key would cost a cache miss per row).
    private var seenBits: [UInt64] = []
    private static let denseSeries = 1 << 16
    private static let densePeriods = 256
    /// Keys given twice with different content; left out in partial mode.
    private var conflictingKeys: Set<UInt64> = []
    /// The key of each observation, parallel to `observations`.
    private var keys: [UInt64] = []
    /// Indicator codes, region codes and dimension texts, numbered.
    private var names: [String: Int32] = [:]
    /// Periods (first and last month ordinals), numbered.
    private var periodNumbers: [SIMD2<Int32>: Int32] = [:]
    /// The series of each observation (index into `series`), parallel to `observations`.
    var seriesOfObservation: [Int32] = []
    var series: [SeriesIdentity] = []
    private var seriesByKey: [SIMD3<Int32>: Int32] = [:]

    /// Where chunks of valid rows go while the validation runs, and how much was sent.
    var stream: ObservationStream?
    private var sentObservations = 0
    private var sentSeries = 0

    init(options: ValidationOptions) { self.options = options }

    /// Sends the rows not sent yet, when there are enough of them (or `all`).
    mutating func sendChunk(all: Bool = false) {
        guard let stream, observations.count > sentObservations,
              all || observations.count - sentObservations >= stream.chunkSize else { return }
        stream.handler(ObservationStream.Chunk(observations: Array(observations[sentObservations...]),
                                               seriesOfObservation: Array(seriesOfObservation[sentObservations...]),
                                               newSeries: Array(series[sentSeries...])))
        sentObservations = observations.count
        sentSeries = series.count
    }

    /// Makes room for about `n` observations (an estimate from the file's size).
    mutating func reserve(_ n: Int) {
        guard n > observations.count else { return }
        observations.reserveCapacity(n)
        keys.reserveCapacity(n)
        seriesOfObservation.reserveCapacity(n)
    }

    /// The number of a string (the same string, the same number).
    mutating func intern(_ text: String) -> Int32 {
        if let id = names[text] { return id }
        let id = Int32(names.count)
        names[text] = id
        return id
    }

    /// The number of a period (the same months, the same number).
    mutating func periodNumber(_ period: Period) -> Int32 {
        let key = SIMD2(Int32(period.firstMonth.ordinal), Int32(period.lastMonth.ordinal))
        if let n = periodNumbers[key] { return n }
        let n = Int32(periodNumbers.count)
        periodNumbers[key] = n
        return n
    }

    /// The key of an observation of series `series` and period number `period`.
    static func key(series: Int32, period: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: series)) << 32 | UInt64(UInt32(bitPattern: period))
    }

    /// The dimensions sorted by name, and their `k=v;k=v` text (the dimension part of
    /// ``ValidatedObservation/key``).
    static func sortedDimensions(_ dimensions: [String: String]) -> (dims: [(name: String, value: String)], key: String) {
        let sorted = dimensions.sorted { $0.key < $1.key }
        return (sorted.map { (name: $0.key, value: $0.value) }, sorted.map { "\($0.key)=\($0.value)" }.joined(separator: ";"))
    }

    /// The series number of (indicator, region, dims), given their interned numbers.
    mutating func seriesNumber(indicator: Int32, region: Int32, dims: Int32,
                               identity: () -> SeriesIdentity) -> Int32 {
        let key = SIMD3(indicator, region, dims)
        if let n = seriesByKey[key] { return n }
        let n = Int32(series.count)
        series.append(identity())
        seriesByKey[key] = n
        return n
    }

    /// Counts an issue and stores it while fewer than `maxIssues` are stored.
    mutating func record(_ issue: ValidationIssue, fileLevel: Bool, atStart: Bool = false) {
        issueCount += 1
        if fileLevel { hasFileLevelIssue = true }
        guard issues.count < options.maxIssues else { return }
        if atStart { issues.insert(issue, at: 0) } else { issues.append(issue) }
    }

    /// Adds a valid row, or records why its key clashes with an earlier row.
    mutating func add(_ observation: ValidatedObservation, from source: SourceObservation) {
        let indicator = intern(observation.indicator)
        let region = intern(observation.region)
        let (dims, dimsKey) = ValidationRun.sortedDimensions(observation.dimensions)
        let dimsID = intern(dimsKey)
        let series = seriesNumber(indicator: indicator, region: region, dims: dimsID) {
            SeriesIdentity(indicator: observation.indicator, region: observation.region, dims: dims, dimsKey: dimsKey)
        }
        let key = ValidationRun.key(series: series, period: periodNumber(observation.period))
        add(observation, key: key, series: series, source: { source })
    }

    /// Adds a valid row whose key and series are known, or records why its key clashes with
    /// an earlier row; `source` is asked for only then.
    mutating func add(_ observation: ValidatedObservation, key: UInt64, series: Int32,
                      source makeSource: () -> SourceObservation) {
        if !exactIndex {
            let period = Int(truncatingIfNeeded: key & 0xFFFF_FFFF)
            if series >= 0, Int(series) < ValidationRun.denseSeries, period < ValidationRun.densePeriods {
                let words = ValidationRun.densePeriods / 64
                let word = Int(series) * words + period >> 6
                if word >= seenBits.count { seenBits.append(contentsOf: repeatElement(0, count: max(word + 1 - seenBits.count, 1024 * words))) }
                let bit: UInt64 = 1 << UInt64(period & 63)
                if seenBits[word] & bit == 0 {
                    seenBits[word] |= bit
                    observations.append(observation)
                    keys.append(key)
                    seriesOfObservation.append(series)
                    if stream != nil { sendChunk() }
                    return
                }
            }
            // A key seen before, or one outside the bits: from now on every key goes through
            // the exact index, made of the keys so far.
            firstByKey.reserve(max(keys.count * 2, 1024))
            for (i, k) in keys.enumerated() { _ = firstByKey.insert(k, Int32(i)) }
            exactIndex = true
            seenBits = []
        }
        let (index, inserted) = firstByKey.insert(key, Int32(observations.count))
        if inserted {
            observations.append(observation)
            keys.append(key)
            seriesOfObservation.append(series)
            if stream != nil { sendChunk() }
            return
        }
        let earlier = observations[Int(index)]
        let differences = ValidationRun.differences(earlier, observation)
        if differences.isEmpty {
            identicalDuplicates += 1
            return
        }
        conflictingKeys.insert(key)
        let source = makeSource()
        let there = earlier.line.map { "line \($0)" } ?? "an earlier observation"
        let location = source.location.fields[.value]
        record(ValidationIssue(file: source.location.file, line: source.location.line, column: location?.columnNumber,
                               field: location?.header ?? "value", value: source.value, code: "duplicate_conflict",
                               message: "same indicator, region, period and dimensions as \(there) with a different "
                                   + differences.joined(separator: "; "),
                               hint: "keep one of the two rows; send a revision in a later file",
                               path: source.location.path),
               fileLevel: false)
    }

    /// How two observations with one key differ, e.g. `value: "1300" there, "1234.5" here`;
    /// empty when they say the same thing (values compared as numbers: `1.50` is `1.5`).
    static func differences(_ a: ValidatedObservation, _ b: ValidatedObservation) -> [String] {
        var out: [String] = []
        let canonical = { (v: String?) in v.flatMap { try? DecimalText($0) }?.canonical }
        if canonical(a.value) != canonical(b.value) {
            let show = { (v: String?) in v.map(ValidationText.quote) ?? "none" }
            out.append("value: \(show(a.value)) there, \(show(b.value)) here")
        }
        if a.status != b.status { out.append("status: \(a.status.rawValue) there, \(b.status.rawValue) here") }
        if a.action != b.action { out.append("action: \(a.action.rawValue) there, \(b.action.rawValue) here") }
        if a.releaseDate != b.releaseDate {
            let show = { (d: CalendarDate?) in d?.description ?? "none" }
            out.append("release date: \(show(a.releaseDate)) there, \(show(b.releaseDate)) here")
        }
        return out
    }

    /// The result; in partial mode rows with conflicting keys are left out. The rows not
    /// streamed yet are sent first.
    mutating func result(skipped: Int) -> ValidationResult {
        sendChunk(all: true)
        let partial = options.acceptValidRows
        var kept = observations
        var keptSeries = seriesOfObservation
        if partial && !conflictingKeys.isEmpty {
            kept = []
            keptSeries = []
            for (i, o) in observations.enumerated() where !conflictingKeys.contains(keys[i]) {
                kept.append(o)
                keptSeries.append(seriesOfObservation[i])
            }
        }
        var result = ValidationResult(observations: kept, issues: issues, issueCount: issueCount, rowsRead: rowsRead,
                                      rowsSkipped: skipped, identicalDuplicates: identicalDuplicates,
                                      isAccepted: issueCount == 0 || (partial && !hasFileLevelIssue))
        result.series = series
        result.seriesOfObservation = keptSeries
        result.streamedAsIs = stream != nil && kept.count == observations.count
        return result
    }
}
