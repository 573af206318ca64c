/// Limits and policy for one validation run.
public struct ValidationOptions: Sendable {
    /// Most issues stored in ``ValidationResult/issues``; later ones are only counted.
    public var maxIssues = 1000
    /// Most rows read; a file with more gets a `too_many_rows` issue and reading stops.
    public var maxRows = 5_000_000
    /// Partial mode: accept the valid rows of a file that has row-level issues.
    ///
    /// File-level problems (a reader error, a sender naming another agency, too many rows,
    /// a row outside the agency's scope) still reject the whole file, and rows whose key
    /// conflicts with another row are left out on both sides.
    public var acceptValidRows = false

    /// The defaults: 1000 issues, 5 000 000 rows, whole-file acceptance.
    public init() {}

    /// Options with the given limits.
    public init(maxIssues: Int = 1000, maxRows: Int = 5_000_000, acceptValidRows: Bool = false) {
        precondition(maxIssues >= 0 && maxRows > 0, "limits must be positive")
        self.maxIssues = maxIssues
        self.maxRows = maxRows
        self.acceptValidRows = acceptValidRows
    }
}

/// What validating one file found.
///
/// When ``isAccepted`` is false the observations must not be applied: they are the rows
/// that passed, kept so a caller can report on them.
public struct ValidationResult: Sendable {
    /// Valid rows in file order. A row repeating an earlier row exactly (same key, same
    /// value, status and action) appears once; in partial mode rows with conflicting
    /// keys are left out.
    public var observations: [ValidatedObservation]
    /// Issues in file order, at most ``ValidationOptions/maxIssues``.
    public var issues: [ValidationIssue]
    /// All issues found, including those not stored.
    public var issueCount: Int
    /// Observations the reader produced (for PX-Web, one per non-missing cell).
    public var rowsRead: Int
    /// Records the reader skipped on purpose: blank rows, subtotals a mapping drops,
    /// unmapped SDMX rows, PX-Web missing-value cells.
    public var rowsSkipped: Int
    /// Rows dropped because they repeated an earlier row exactly.
    public var identicalDuplicates: Int
    /// No issues; or, in partial mode, no file-level issues.
    public var isAccepted: Bool
    /// The series the observations belong to, for the decide-events stage (filled by the
    /// validator; empty in a result made otherwise).
    package var series: [SeriesIdentity] = []
    /// The series of each observation (an index into `series`), parallel to
    /// `observations`; empty when not known.
    package var seriesOfObservation: [Int32] = []
    /// Whether the observations are exactly the rows the validator's stream sent, in order.
    package var streamedAsIs = false

    /// Creates a result.
    public init(observations: [ValidatedObservation], issues: [ValidationIssue], issueCount: Int, rowsRead: Int,
                rowsSkipped: Int, identicalDuplicates: Int = 0, isAccepted: Bool) {
        self.observations = observations
        self.issues = issues
        self.issueCount = issueCount
        self.rowsRead = rowsRead
        self.rowsSkipped = rowsSkipped
        self.identicalDuplicates = identicalDuplicates
        self.isAccepted = isAccepted
    }
}
