import AlmanacLog

/// The quarantine report of a rejected file, in two renderings.
///
/// - `errors.json`, for programs: an object with `file`, `sha256`, `agency`, `accepted`,
///   `counts` (`rowsRead`, `rowsSkipped`, `observations`, `identicalDuplicates`, `issues`,
///   `issuesListed`) and `issues`, an array of objects with `file`, `line`, `column`,
///   `field`, `value`, `code`, `message`, `hint`, `path` (members that are unknown are
///   `null`). Keys come in that order; each issue is on a line of its own.
/// - `errors.txt`, for people: a summary line, then one issue per line
///   (``ValidationIssue/description``), at most ``textIssuesMax``, then a line saying how
///   many more there are.
///
/// Cell text is JSON-escaped in the first and escaped by ``ValidationText`` in the second,
/// so neither can be broken up or made to run anything by what an agency wrote.
public enum ValidationReport {
    /// Most issues listed in `errors.txt`.
    public static let textIssuesMax = 1000

    /// The machine-readable report (`errors.json`).
    public static func json(file: String, sha256: String, agency: String, result: ValidationResult) -> String {
        let counts: JSONValue = .object([
            ("rowsRead", number(result.rowsRead)), ("rowsSkipped", number(result.rowsSkipped)),
            ("observations", number(result.observations.count)),
            ("identicalDuplicates", number(result.identicalDuplicates)),
            ("issues", number(result.issueCount)), ("issuesListed", number(result.issues.count)),
        ])
        var out = "{\n"
        let head: [(String, JSONValue)] = [
            ("file", .string(file)), ("sha256", .string(sha256)), ("agency", .string(agency)),
            ("accepted", .bool(result.isAccepted)), ("counts", counts),
        ]
        for (key, value) in head { out += "  " + JSONValue.object([(key, value)]).jsonText.dropFirst().dropLast() + ",\n" }
        out += "  \"issues\": ["
        for (i, issue) in result.issues.enumerated() {
            out += (i == 0 ? "\n    " : ",\n    ") + object(issue).jsonText
        }
        out += result.issues.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// The human-readable report (`errors.txt`): a summary line, then one issue per line.
    public static func text(file: String, sha256: String, agency: String, result: ValidationResult) -> String {
        let name = ValidationText.singleLine(file)
        let verdict = result.isAccepted ? "accepted" : "rejected"
        let plural = { (n: Int, word: String) in "\(n) \(word)\(n == 1 ? "" : "s")" }
        var out = "\(name): \(verdict): \(plural(result.issueCount, "issue")) in \(plural(result.rowsRead, "row"))"
            + " (agency \(ValidationText.singleLine(agency)), sha256 \(ValidationText.singleLine(sha256)))\n"
        let listed = result.issues.prefix(textIssuesMax)
        for issue in listed { out += issue.description + "\n" }
        let more = result.issueCount - listed.count
        if more > 0 { out += "… and \(plural(more, "more issue")) not listed\n" }
        return out
    }

    private static func number(_ n: Int) -> JSONValue { .number(String(n)) }

    private static func object(_ issue: ValidationIssue) -> JSONValue {
        let text = { (s: String?) in s.map(JSONValue.string) ?? .null }
        let int = { (n: Int?) in n.map(number) ?? .null }
        return .object([
            ("file", .string(issue.file)), ("line", int(issue.line)), ("column", int(issue.column)),
            ("field", text(issue.field)), ("value", text(issue.value)), ("code", .string(issue.code)),
            ("message", .string(issue.message)), ("hint", text(issue.hint)), ("path", text(issue.path)),
        ])
    }
}
