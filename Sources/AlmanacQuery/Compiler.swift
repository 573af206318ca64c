import AlmanacDomain
import AlmanacSQLite

/// Compiles a checked query into one parameterised SQL statement on the read model.
///
/// Each step becomes a common table expression reading the one before (`s0` is the source),
/// so the SQL reads in the order of the pipeline; ``Relation`` tracks the columns between
/// steps. User text never becomes SQL text: strings, numbers and periods are bound as
/// parameters, region and dimension names are matched against the catalogue in Swift and
/// the matching codes bound; identifiers come from the catalogue or the compiler and are
/// quoted. See `docs/query-compiler.md` for the translation of each step.
public struct QueryCompiler: Sendable {
    /// Where region names, region groups and dimension values are matched.
    public let catalogue: any QueryCatalogue

    /// A compiler over a catalogue (the one the query was checked against).
    public init(catalogue: any QueryCatalogue) {
        self.catalogue = catalogue
    }

    /// Compiles a checked query.
    ///
    /// - Parameters:
    ///   - checked: The output of ``Checker/check(_:)`` with the same catalogue.
    ///   - discover: Runs a ``PivotDiscovery`` and returns its values, for `pivot period`
    ///     and pivots of dimensions whose values the catalogue does not list.
    /// - Returns: The statement, its parameters and its columns.
    /// - Throws: ``QueryError`` of kind `semantic` for a pipeline the SQL cannot express
    ///   (a `ratio` after the region was grouped away), or whatever `discover` throws.
    public func compile(_ checked: CheckedQuery, discover: (PivotDiscovery) throws -> [String]) throws -> CompiledQuery {
        var compilation = Compilation(catalogue: catalogue, checked: checked)
        try compilation.run(discover: discover)
        return compilation.finish()
    }
}

/// The state of one compilation: the statement so far and the rows after the latest step.
struct Compilation {
    let catalogue: any QueryCatalogue
    let checked: CheckedQuery
    var builder = SQLBuilder()
    var relation = Relation(name: "", columns: [], order: [])
    /// CTE names of warning queries: each returns rows with one column, `message`.
    var warnings: [String] = []
    /// The months the source reads, as inclusive ordinal ranges; nil for every period.
    var sourceWindow: [ClosedRange<Int>]?
    /// The knowledge time of the source (the first one of `asof … vs …`).
    var knowledge: KnowledgeTime = .latest
    /// The pivot discoveries run so far, for ``CompiledQuery/discoveries``.
    var discoveries: [PivotDiscovery] = []
    /// The CTE of the series the source reads (one row per `$sid` with every key read by
    /// `from`), for steps that carry only the series id through a sort and join the keys back.
    var sourceSeries: String?
    /// The series CTE the latest ``vintage(_:references:dimensions:)`` made.
    var latestSeriesCTE: String?
    /// Whether the current rows are cheap to compute again (the source and filters of it),
    /// so a step reading them twice may let SQLite compute them twice rather than copy them.
    var streamable = true
    /// Whether the first step that reads the rows is a `convert` that looks its target
    /// periods up by their text (see ``wholeLabels(months:)``): the source then leaves the
    /// primary key to those lookups.
    var convertLooksUpPeriods = false
    /// The `during` selections applied right after the step being compiled (deferred past
    /// the steps that look back): a step may leave out at once the rows they drop.
    var periodsAfterStep: [[PeriodSelection]] = []
    /// Whether the current rows are the current observations as the source read them
    /// (only filters and `during` so far, no `asof`): one row per series and period text,
    /// reachable through the primary key (series, period).
    var readsCurrentSourceRows: Bool {
        guard streamable, case .latest = knowledge else { return false }
        return !steps.contains { if case .asof = $0.value { true } else { false } }
    }
    /// Whether the values are cumulated by a `ytd` step (each runs from January to the end
    /// of its period), which `decumulate` then undoes.
    var cumulated = false
    /// Whether a `where` on the rows (not moved to the series) was applied: the rows are then
    /// not every current observation of the series in the window.
    var rowsFiltered = false
    /// Whether the step being compiled is the last (only `during` after it): its rows go
    /// straight to the last statement.
    var stepIsLast = false
    /// Whether the first step after filters and `during` is a `group by` that keeps each
    /// group's finest level: the source then carries each series' level rank (`$lvl`, from
    /// `e0`) so the grouping does not compute it for every row.
    var groupReadsSource = false
    /// Whether the rows are still rows the source read (only filters, `during` and `asof`
    /// since), so the source's window conditions hold for them.
    var rowsWithinWindow = true

    init(catalogue: any QueryCatalogue, checked: CheckedQuery) {
        self.catalogue = catalogue
        self.checked = checked
    }

    var steps: [Located<Step>] { checked.query.steps }

    mutating func run(discover: (PivotDiscovery) throws -> [String]) throws {
        var versus: KnowledgeTime?
        for step in steps {
            if case .asof(let when, let other) = step.value {
                knowledge = when.value
                versus = other?.value
            }
        }
        sourceWindow = Self.window(of: steps)
        for step in steps {
            if case .filter = step.value { continue }
            if case .during = step.value { continue }
            if case .convert(let frequency, _) = step.value { convertLooksUpPeriods = wholeLabels(months: frequency.value.months) != nil }
            if case .group(let names, _, _) = step.value { groupReadsSource = !names.contains { $0.value == "level" } }
            break
        }
        let (seriesFilters, filtered) = try seriesConditions()
        compileSource(versus: versus, seriesFilters: seriesFilters)
        var pending: [Int: [[PeriodSelection]]] = [:]
        for (index, step) in steps.enumerated() {
            if filtered.contains(index) {
                // Applied to the series before their observations were read.
            } else if case .during(let selections) = step.value {
                pending[deferral(of: index), default: []].append(selections.map(\.value))
                if deferral(of: index) != index { continue }
            } else if case .pivot(let column) = step.value {
                try pivot(column.value, discover: discover)
                cumulated = false
                streamable = false
                rowsWithinWindow = false
            } else {
                periodsAfterStep = pending[index] ?? []
                if case .convert = step.value, let needed = columnsNeeded(after: index) { narrow(to: needed) }
                stepIsLast = steps.dropFirst(index + 1).allSatisfy { if case .during = $0.value { true } else { false } }
                try compile(step)
                periodsAfterStep = []
            }
            for selections in pending.removeValue(forKey: index) ?? [] {
                filterPeriods(selections)
            }
        }
    }

    /// The columns the steps after a `convert` at `index` read, when a `group by` follows it
    /// (past any `during`): its keys, what it combines, and what `convert` itself reads. Nil
    /// when every column may be read.
    func columnsNeeded(after index: Int) -> Set<String>? {
        for step in steps.dropFirst(index + 1) {
            switch step.value {
            case .during: continue
            case .group(let names, _, _):
                return Set(names.map(\.value) + ["period", "level", "unit", Relation.firstMonth, Relation.lastMonth,
                                                  Relation.rule, Relation.additive, Relation.seriesID])
            default: return nil
            }
        }
        return nil
    }

    /// Keeps only the columns `needed` and every measure (a CTE SQLite folds into its reader):
    /// a step that copies rows (the whole figures `convert` keeps) then copies no column that
    /// no later step reads.
    mutating func narrow(to needed: Set<String>) {
        let kept = relation.columns.filter { needed.contains($0.name) || $0.role == .measure }
        guard kept.count < relation.columns.count else { return }
        addStep("SELECT \(kept.flatMap(\.sqlNames).joined(separator: ", ")) FROM \(relation.name)")
        relation.columns = kept
    }

    /// Where the `during` at `index` applies: right there, or after the last step that
    /// looks back (growth, change, ytd, decumulate, rebase) following it, so those can read
    /// earlier periods.
    func deferral(of index: Int) -> Int {
        var last = index
        for (later, step) in steps.enumerated().dropFirst(index + 1) where Self.looksBack(step.value) {
            last = later
        }
        return last
    }

    static func looksBack(_ step: Step) -> Bool {
        switch step {
        case .growth, .change, .ytd, .decumulate, .rebase: return true
        default: return false
        }
    }

    /// The months the source must read: the first `during`'s periods, reaching back twelve
    /// months for every `growth` or `change` (a year earlier, or the period before), and to
    /// the January of that year when a `ytd` or `decumulate` cumulates from it, plus every
    /// `rebase` period.
    static func window(of steps: [Located<Step>]) -> [ClosedRange<Int>]? {
        guard let selections = steps.lazy.compactMap({ step -> [Located<PeriodSelection>]? in
            if case .during(let selections) = step.value { return selections }
            return nil
        }).first else { return nil }
        var comparisons = 0, fromJanuary = false
        for step in steps {
            switch step.value {
            case .growth, .change: comparisons += 1
            case .ytd, .decumulate: fromJanuary = true
            default: break
            }
        }
        var ranges = selections.map { selection -> ClosedRange<Int> in
            let months = selection.value.months
            var start = months.lowerBound - 12 * comparisons
            if fromJanuary { start -= ((start % 12) + 12) % 12 }
            return start...months.upperBound
        }
        for step in steps {
            if case .rebase(let period, _) = step.value { ranges.append(period.value.months) }
        }
        return ranges
    }

    mutating func compile(_ step: Located<Step>) throws {
        let wasCumulated = cumulated
        switch step.value {
        case .filter, .during, .asof, .share, .rank, .derive, .sort, .take: break
        default: cumulated = false
        }
        defer {
            switch step.value {
            case .filter, .during, .asof: break
            default:
                streamable = false
                rowsWithinWindow = false
            }
        }
        switch step.value {
        case .filter(let condition):
            var expressions = ExpressionCompiler(catalogue: catalogue, relation: relation)
            let sql = try expressions.condition(condition, builder: &builder)
            warnings += expressions.warnings(builder: &builder)
            addStep("SELECT * FROM \(relation.name) WHERE \(sql)")
            rowsFiltered = true
        case .during:
            break  // handled by run(discover:)
        case .asof:
            break  // chose the source
        case .convert(let frequency, let method):
            convert(to: frequency.value, method: method?.value)
        case .group(let columns, let aggregation, let overPeriod):
            group(by: columns.map(\.value), aggregation: aggregation?.value, overPeriod: overPeriod)
        case .growth(let comparison):
            compare(comparison, percent: true)
        case .change(let comparison):
            compare(comparison, percent: false)
        case .ytd(let method):
            yearToDate(method)
            cumulated = true
        case .decumulate(let method):
            decumulate(method, afterYearToDate: wasCumulated)
        case .rebase(let period, let base):
            rebase(to: period.value, base: base.map { Double($0.value) ?? 100 } ?? 100)
        case .share(let within):
            share(within: within.map(\.value))
        case .rank(let order, let within):
            rank(order ?? .desc, within: within.map(\.value))
        case .pivot:
            break  // needs discovery; see run(discover:)
        case .derive(let derivations):
            try derive(derivations)
        case .sort(let keys):
            sort(keys)
        case .take(let count):
            take(count.value)
        case .ratio(let reference):
            try divide(by: reference, percent: true, at: step.span)
        case .deflate(let reference):
            try divide(by: reference, percent: false, at: step.span)
        }
    }

    /// Adds a CTE holding the result of `sql` with the current columns, and makes it current.
    mutating func addStep(_ sql: String) {
        relation.name = builder.add(sql)
        relation.arms = []
        relation.shortcut = nil
    }
}

extension PeriodSelection {
    /// The months covered, as an inclusive range of ordinals (`year * 12 + month - 1`).
    var months: ClosedRange<Int> {
        switch self {
        case .single(let period): return period.months
        case .range(let first, let last): return first.months.lowerBound...last.months.upperBound
        }
    }
}

extension PeriodLiteral {
    /// How many months the period covers.
    var monthsCount: Int {
        switch self {
        case .year: return 12
        case .half: return 6
        case .quarter: return 3
        case .month: return 1
        }
    }

    /// The months covered, as an inclusive range of ordinals.
    var months: ClosedRange<Int> { firstMonthIndex...(firstMonthIndex + monthsCount - 1) }
}
