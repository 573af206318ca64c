import AlmanacDomain
import AlmanacIngest
import AlmanacSQLite

/// Decides the events of a submission by comparing its observations with what the read
/// model holds now: a new key is *reported*, a changed value or status is *revised* (with
/// the previous value), an equal one is *unchanged* (no event), an `action=retract` row
/// *retracts* the current value. A corrected file therefore produces only the events for
/// what changed, and an identical resubmission produces none.
///
/// The current values are read per series, not per row: one lookup of the series id (a
/// series the model does not have yet has no current values at all, so a file of new
/// figures costs one query per series), then either the series' current values in one
/// query, or, for a series the file touches at only a few periods, one query per period.
///
/// Observations may be given in chunks, in file order (an ingest decides while the file
/// is still being validated); every lookup happens before anything of the series is
/// written, so the values compared are those from before the submission.
final class SubmissionDiff {
    let db: Database
    private let findSeries: Statement
    private let seriesValues: Statement
    private let pointValue: Statement

    /// A series the file touches at fewer periods than this is read period by period.
    static let pointLookupsMax = 8

    init(db: Database) throws {
        self.db = db
        findSeries = try db.prepare("SELECT id FROM series WHERE indicator = ? AND region = ? AND dims = ?")
        seriesValues = try db.prepare("SELECT period, value, status, submission FROM observations WHERE series_id = ?")
        pointValue = try db.prepare("SELECT value, status, submission FROM observations WHERE series_id = ? AND period = ?")
    }

    /// A current value.
    struct Current {
        var value: String
        var status: String
        var submission: UInt64
    }

    /// What to do with one observation.
    struct Decision {
        /// Index into the result's observations.
        var observation: Int32
        var kind: ObservationEvent.Kind
        /// Index into `Plan.previous` (revisions and retractions), else -1.
        var previous: Int32
    }

    /// The events of a submission, in observation order, without their payloads: the
    /// observations and series they come from are in the validation result.
    struct Plan {
        var decisions: [Decision] = []
        var previous: [Current] = []
        var counts = IngestOutcome.Counts()
        var issues: [ValidationIssue] = []
        /// The series of the observations, sorted dimensions included.
        var series: [SeriesIdentity] = []
        /// The series (index into `series`) of each observation of the result.
        var seriesOfObservation: [Int32] = []
    }

    /// What has been decided so far.
    private(set) var plan = Plan()
    /// Per series: looked up yet, its id in the model, its current values when read whole.
    private var looked: [Bool] = []
    private var ids: [Int64?] = []
    private var loaded: [[String: Current]?] = []
    private var periodText: [Period: String] = [:]
    private var seen = Set<SIMD3<Int32>>()

    /// The plan (the events' `submission` is filled in at append time), the counts, and the
    /// issues found while deciding (a retraction of nothing), added to `partialIssues`.
    static func plan(for result: ValidationResult, file: String, partialIssues: [ValidationIssue], db: Database) throws -> Plan {
        let diff = try SubmissionDiff(db: db)
        diff.plan.issues = partialIssues
        // The validator's result gives the series, and keys that are unique (a repeated key is
        // a duplicate dropped or a conflict); any other result is grouped and checked here.
        let fromValidator = result.seriesOfObservation.count == result.observations.count
        let (series, of) = fromValidator ? (result.series, result.seriesOfObservation) : SubmissionDiff.group(result.observations)
        var perSeries = [Int](repeating: 0, count: series.count)
        for s in of { perSeries[Int(s)] += 1 }
        diff.add(series: series)
        try diff.decide(result.observations, series: of, file: file, perSeries: perSeries, unique: fromValidator)
        return diff.plan
    }

    /// Adds series (in their order of first appearance).
    func add(series: [SeriesIdentity]) {
        plan.series += series
        looked += repeatElement(false, count: series.count)
        ids += repeatElement(nil, count: series.count)
        loaded += repeatElement(nil, count: series.count)
    }

    /// Decides the next observations of the file (their index in the file's observations
    /// continues from the previous call). `perSeries`, when known, is each series' number of
    /// observations in the whole file (else a series the model has is read whole); `unique`
    /// says keys do not repeat (the validator's guarantee), else repeats are skipped.
    func decide(_ observations: [ValidatedObservation], series of: [Int32], file: String,
                perSeries: [Int]? = nil, unique: Bool) throws {
        let offset = plan.seriesOfObservation.count
        plan.seriesOfObservation += of
        plan.decisions.reserveCapacity(offset + observations.count)
        for (j, o) in observations.enumerated() {
            let i = offset + j
            let s = Int(of[j])
            if !unique {
                guard seen.insert(SIMD3(Int32(s), Int32(o.period.firstMonth.ordinal), Int32(o.period.lastMonth.ordinal))).inserted else {
                    continue
                }
            }
            if !looked[s] { try lookUp(s, wholeSeries: perSeries.map { $0[s] >= SubmissionDiff.pointLookupsMax } ?? true) }
            // Current values are only asked for series the model has.
            var now: Current?
            if ids[s] != nil {
                let period: String
                if let p = periodText[o.period] { period = p } else { period = o.period.description; periodText[o.period] = period }
                now = try current(series: s, period: period)
            }
            switch (o.action, now) {
            case (.retract, nil):
                let period = o.period.description
                plan.issues.append(ValidationIssue(file: file, line: o.line, field: "action", value: "retract", code: "nothing_to_retract",
                                                   message: "nothing to retract: no current value for \(o.indicator) \(o.region) \(period)",
                                                   hint: "check the key; retract only what was reported"))
            case (.retract, let now?):
                plan.decisions.append(Decision(observation: Int32(i), kind: .retracted, previous: Int32(plan.previous.count)))
                plan.previous.append(now)
                plan.counts.retracted += 1
            case (.report, nil):
                plan.decisions.append(Decision(observation: Int32(i), kind: .reported, previous: -1))
                plan.counts.reported += 1
            case (.report, let now?):
                let value = o.value ?? ""
                let same = value == now.value || ((try? DecimalText(value)).flatMap { a in (try? DecimalText(now.value)).map { a.numericallyEquals($0) } } ?? false)
                if same && o.status.rawValue == now.status {
                    plan.counts.unchanged += 1
                } else {
                    plan.decisions.append(Decision(observation: Int32(i), kind: .revised, previous: Int32(plan.previous.count)))
                    plan.previous.append(now)
                    plan.counts.revised += 1
                }
            }
        }
    }

    /// Finds series `s` in the model and, when asked, reads its current values whole.
    private func lookUp(_ s: Int, wholeSeries: Bool) throws {
        looked[s] = true
        let identity = plan.series[s]
        findSeries.reset()
        try findSeries.bind([.text(identity.indicator), .text(identity.region), .text(identity.dimsKey)])
        if try findSeries.step() { ids[s] = findSeries.int64(at: 0) }
        findSeries.reset()
        guard let id = ids[s], wholeSeries else { return }
        var values: [String: Current] = [:]
        seriesValues.reset()
        try seriesValues.bind(id, at: 1)
        while try seriesValues.step() {
            values[seriesValues.text(at: 0) ?? ""] = Current(value: seriesValues.text(at: 1) ?? "",
                                                             status: seriesValues.text(at: 2) ?? "",
                                                             submission: UInt64(seriesValues.int64(at: 3)))
        }
        seriesValues.reset()
        loaded[s] = values
    }

    private func current(series s: Int, period: String) throws -> Current? {
        guard let id = ids[s] else { return nil }
        if let values = loaded[s] { return values[period] }
        pointValue.reset()
        try pointValue.bind(id, at: 1)
        try pointValue.bind(period, at: 2)
        defer { pointValue.reset() }
        guard try pointValue.step() else { return nil }
        return Current(value: pointValue.text(at: 0) ?? "", status: pointValue.text(at: 1) ?? "",
                       submission: UInt64(pointValue.int64(at: 2)))
    }

    /// The series of observations that came without them.
    static func group(_ observations: [ValidatedObservation]) -> ([SeriesIdentity], [Int32]) {
        var series: [SeriesIdentity] = []
        var of: [Int32] = []
        of.reserveCapacity(observations.count)
        var index: [String: Int32] = [:]
        for o in observations {
            let dims = o.dimensions.map { (name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
            let dimsKey = ObservationEvent.dimsKey(dims)
            let key = o.indicator + "\u{1F}" + o.region + "\u{1F}" + dimsKey
            if let s = index[key] { of.append(s); continue }
            let s = Int32(series.count)
            series.append(SeriesIdentity(indicator: o.indicator, region: o.region, dims: dims, dimsKey: dimsKey))
            index[key] = s
            of.append(s)
        }
        return (series, of)
    }
}
