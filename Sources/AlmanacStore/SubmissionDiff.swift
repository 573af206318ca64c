import AlmanacDomain
import AlmanacIngest
import AlmanacSQLite

/// Decides the events of a submission by comparing its observations with what the read
/// model holds now: a new key is *reported*, a changed value or status is *revised* (with
/// the previous value), an equal one is *unchanged* (no event), an `action=retract` row
/// *retracts* the current value. A corrected file therefore produces only the events for
/// what changed, and an identical resubmission produces none.
struct SubmissionDiff {
    let db: Database
    private let lookup: Statement

    init(db: Database) throws {
        self.db = db
        lookup = try db.prepare("""
            SELECT o.value, o.status, o.submission FROM series s JOIN observations o ON o.series_id = s.id
            WHERE s.indicator = ? AND s.region = ? AND s.dims = ? AND o.period = ?
            """)
    }

    private func current(_ o: ValidatedObservation, dimsKey: String) throws -> (value: String, status: String, submission: UInt64)? {
        lookup.reset()
        try lookup.bind([.text(o.indicator), .text(o.region), .text(dimsKey), .text(o.period.description)])
        defer { lookup.reset() }
        guard try lookup.step() else { return nil }
        return (lookup.text(at: 0) ?? "", lookup.text(at: 1) ?? "", UInt64(lookup.int64(at: 2)))
    }

    /// The events (their `submission` is filled in at append time), the counts, and the
    /// issues found while deciding (a retraction of nothing), added to `partialIssues`.
    func events(for observations: [ValidatedObservation], file: String,
                partialIssues: [ValidationIssue]) throws -> ([ObservationEvent], IngestOutcome.Counts, [ValidationIssue]) {
        var events: [ObservationEvent] = []
        events.reserveCapacity(observations.count)
        var counts = IngestOutcome.Counts()
        var issues = partialIssues
        var seen = Set<String>()
        for o in observations {
            let key = o.key
            guard seen.insert(key).inserted else { continue }
            let dims = o.dimensions.map { (name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }
            let dimsKey = ObservationEvent.dimsKey(dims)
            let now = try current(o, dimsKey: dimsKey)
            let period = o.period.description
            switch (o.action, now) {
            case (.retract, nil):
                issues.append(ValidationIssue(file: file, line: o.line, field: "action", value: "retract", code: "nothing_to_retract",
                                              message: "nothing to retract: no current value for \(o.indicator) \(o.region) \(period)",
                                              hint: "check the key; retract only what was reported"))
            case (.retract, let now?):
                events.append(ObservationEvent(kind: .retracted, submission: 0, indicator: o.indicator, region: o.region, period: period,
                                               dims: dims, value: nil, unit: o.unit, status: o.status.rawValue,
                                               releaseDate: o.releaseDate?.description, previousValue: now.value,
                                               previousStatus: now.status, previousSubmission: now.submission))
                counts.retracted += 1
            case (.report, nil):
                events.append(ObservationEvent(kind: .reported, submission: 0, indicator: o.indicator, region: o.region, period: period,
                                               dims: dims, value: o.value, unit: o.unit, status: o.status.rawValue,
                                               releaseDate: o.releaseDate?.description))
                counts.reported += 1
            case (.report, let now?):
                let value = o.value ?? ""
                let same = value == now.value || ((try? DecimalText(value)).flatMap { a in (try? DecimalText(now.value)).map { a.numericallyEquals($0) } } ?? false)
                if same && o.status.rawValue == now.status {
                    counts.unchanged += 1
                } else {
                    events.append(ObservationEvent(kind: .revised, submission: 0, indicator: o.indicator, region: o.region, period: period,
                                                   dims: dims, value: o.value, unit: o.unit, status: o.status.rawValue,
                                                   releaseDate: o.releaseDate?.description, previousValue: now.value,
                                                   previousStatus: now.status, previousSubmission: now.submission))
                    counts.revised += 1
                }
            }
        }
        return (events, counts, issues)
    }
}
