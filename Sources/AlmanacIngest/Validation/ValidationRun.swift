import AlmanacDomain

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
    /// Key → index in `observations` of the row that first gave it.
    private var firstByKey: [String: Int] = [:]
    /// Keys given twice with different content; left out in partial mode.
    private var conflictingKeys: Set<String> = []

    init(options: ValidationOptions) { self.options = options }

    /// Counts an issue and stores it while fewer than `maxIssues` are stored.
    mutating func record(_ issue: ValidationIssue, fileLevel: Bool, atStart: Bool = false) {
        issueCount += 1
        if fileLevel { hasFileLevelIssue = true }
        guard issues.count < options.maxIssues else { return }
        if atStart { issues.insert(issue, at: 0) } else { issues.append(issue) }
    }

    /// Adds a valid row, or records why its key clashes with an earlier row.
    mutating func add(_ observation: ValidatedObservation, from source: SourceObservation) {
        let key = observation.key
        guard let index = firstByKey[key] else {
            firstByKey[key] = observations.count
            observations.append(observation)
            return
        }
        let earlier = observations[index]
        let differences = ValidationRun.differences(earlier, observation)
        if differences.isEmpty {
            identicalDuplicates += 1
            return
        }
        conflictingKeys.insert(key)
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

    /// The result; in partial mode rows with conflicting keys are left out.
    func result(skipped: Int) -> ValidationResult {
        let partial = options.acceptValidRows
        let kept = partial && !conflictingKeys.isEmpty ? observations.filter { !conflictingKeys.contains($0.key) } : observations
        return ValidationResult(observations: kept, issues: issues, issueCount: issueCount, rowsRead: rowsRead,
                                rowsSkipped: skipped, identicalDuplicates: identicalDuplicates,
                                isAccepted: issueCount == 0 || (partial && !hasFileLevelIssue))
    }
}
