/// The columns available at one point of the pipeline, and what is known about the values.
struct Scope {
    /// Columns every source row has, besides the dimensions of its indicators.
    static let leadingColumns = ["indicator", "region", "region_name", "level"]
    static let trailingColumns = ["period", "value", "unit", "status", "known_from"]

    /// Columns that only some step adds, and the hint given when one is used too early.
    static let producedBy = [
        "rank": "rank exists only after a rank step",
        "share": "share exists only after a share step",
        "revision": "revision exists only after asof … vs …",
        "value_vs": "value_vs exists only after asof … vs …",
    ]

    /// The columns, in order.
    var columns: [String]
    /// Whether a pivot created columns whose names the catalogue does not list; any name that
    /// no step removed is then accepted.
    var open = false
    /// The indicators the source reads.
    let indicators: [IndicatorDescription]
    /// Why values may not be added up, or nil when they may.
    var nonAdditive: String?
    /// The step that removed each removed column, for messages.
    var removedBy: [String: String] = [:]

    init(indicators: [IndicatorDescription]) {
        self.indicators = indicators
        var dimensions: [String] = []
        for dimension in indicators.flatMap(\.dimensions) where !dimensions.contains(dimension.name) {
            dimensions.append(dimension.name)
        }
        columns = Self.leadingColumns + dimensions + Self.trailingColumns
        if let index = indicators.first(where: { $0.rule == .indexOrRate }) {
            nonAdditive = "\(index.code) is \(index.rule.phrase)"
        }
    }

    func has(_ name: String) -> Bool {
        columns.contains(name) || (open && removedBy[name] == nil)
    }

    mutating func add(_ names: [String]) {
        for name in names {
            if !columns.contains(name) { columns.append(name) }
            removedBy[name] = nil
        }
    }

    /// Keeps only `names`, in that order.
    mutating func keep(_ names: [String], removedBy step: String) {
        for column in columns where !names.contains(column) { removedBy[column] = step }
        columns = []
        add(names)
        open = false
    }

    mutating func remove(_ names: [String], removedBy step: String) {
        for name in names { removedBy[name] = step }
        columns.removeAll { names.contains($0) }
    }

    /// Checks a column written by the user.
    func require(_ column: Located<String>) throws(QueryError) {
        let name = column.value
        guard !has(name) else { return }
        if let step = removedBy[name] {
            throw QueryError(.unknownName, at: column.span, "there is no column \"\(name)\" here: \(step) removed it",
                             hints: ["use \(name) before \(step), or keep it in the group by"])
        }
        var hints = Self.producedBy[name].map { [$0] } ?? QueryError.didYouMean(name, among: columns)
        if hints.isEmpty { hints = ["the columns here are " + columns.joined(separator: ", ")] }
        throw QueryError(.unknownName, at: column.span, "unknown column \"\(name)\"", hints: hints)
    }

    /// Checks a column a step needs implicitly (`value`, `period`).
    func require(_ name: String, by step: String, at span: SourceSpan) throws(QueryError) {
        guard !columns.contains(name) else { return }
        let remover = removedBy[name] ?? "an earlier step"
        throw QueryError(.semantic, at: span, "\(step) needs the \(name) column, which \(remover) removed",
                         hints: ["put \(step) before \(remover)"])
    }
}
