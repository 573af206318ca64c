import AlmanacDomain
import AlmanacSQLite

/// Compiles `where` conditions and `derive` expressions to SQL on the columns of a relation.
///
/// Literals are bound, never spelled into the SQL. Comparisons are typed by their column:
/// - `region` against text or numbers: the text is matched in the catalogue (code, any
///   name, without accents or case) and the matching codes are bound, so `region = "Thai
///   Nguyen"` is `region IN ('19', '19N')`;
/// - `region within "NMM"`: the group's members (see ``RegionGroupDescription``);
/// - `period` against a period or a bare year: on the month ordinals (`=` same months, `<`
///   ends before it starts, `>` starts after it ends, `<=`/`>=` the inclusive forms);
/// - a text column against a date (`known_from < 2021-07-12`): on the ISO text, a date
///   meaning the whole day;
/// - a dimension against text: the catalogue's spelling of the value.
/// Division is always in floating point, and by zero gives NULL.
struct ExpressionCompiler {
    let catalogue: any QueryCatalogue
    let relation: Relation
    /// Warning statements (`SELECT … AS message …`) the expressions call for.
    var warnings: [String] = []

    /// What an expression's SQL denotes, for typing comparisons.
    enum Term {
        case sql(String)
        case column(RelationColumn)
        case text(String)
        case number(String)
        case period(PeriodLiteral)
        case date(DateLiteral)
    }

    mutating func condition(_ expression: Located<Expression>, builder: inout SQLBuilder) throws -> String {
        try sql(term(expression, &builder), &builder)
    }

    func warnings(builder: inout SQLBuilder) -> [String] { warnings }

    /// The SQL of a term, binding literals.
    func sql(_ term: Term, _ builder: inout SQLBuilder) -> String {
        switch term {
        case .sql(let text): return text
        case .column(let column): return column.sql
        case .text(let text): return builder.bind(text)
        case .number(let text): return builder.bind(.real(Double(text) ?? .nan))
        case .period(let period): return builder.bind(period.firstMonthIndex)
        case .date(let date): return builder.bind(date.description)
        }
    }

    mutating func term(_ expression: Located<Expression>, _ builder: inout SQLBuilder) throws -> Term {
        switch expression.value {
        case .column(let name):
            guard let column = relation.column(name), column.role != .hidden else {
                throw QueryError(.unknownName, at: expression.span, "there is no column \"\(name)\" in these rows",
                                 hints: ["the columns here are " + relation.visible.map(\.name).joined(separator: ", ")])
            }
            return .column(column)
        case .string(let text): return .text(text)
        case .number(let text): return .number(text)
        case .period(let period): return .period(period)
        case .date(let date): return .date(date)
        case .unary(let op, let operand):
            let inner = sql(try term(operand, &builder), &builder)
            return .sql(op == .not ? "(NOT \(inner))" : "(-\(inner))")
        case .binary(let op, let left, let right):
            let a = try term(left, &builder), b = try term(right, &builder)
            switch op {
            case .and, .or:
                return .sql("(\(sql(a, &builder)) \(op.rawValue.uppercased()) \(sql(b, &builder)))")
            case .add, .subtract, .multiply:
                return .sql("(\(sql(a, &builder)) \(op.rawValue) \(sql(b, &builder)))")
            case .divide:
                return .sql("(\(sql(a, &builder)) * 1.0 / \(sql(b, &builder)))")
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
                return .sql(comparison(op, a, b, &builder))
            }
        case .membership(let subject, let items, let negated):
            let column = try term(subject, &builder)
            let tests = try items.map { comparison(.equal, column, try term($0, &builder), &builder) }
            let any = tests.isEmpty ? "0" : "(" + tests.joined(separator: " OR ") + ")"
            return .sql(negated ? "(NOT \(any))" : any)
        case .within(_, let group):
            guard case .string(let text) = group.value else { return .sql("0") }
            return .sql(within(text, &builder))
        case .call(let function, let arguments):
            let values = try arguments.map { sql(try term($0, &builder), &builder) }
            switch function {
            case .abs: return .sql("abs(\(values[0]))")
            case .round: return .sql("round(\(values[0]), \(values.count > 1 ? "CAST(\(values[1]) AS INTEGER)" : "0"))")
            }
        }
    }

    /// A comparison typed by the column on either side.
    func comparison(_ op: BinaryOperator, _ left: Term, _ right: Term, _ builder: inout SQLBuilder) -> String {
        if case .column = right, !isColumn(left) {
            return comparison(Self.mirrored(op), right, left, &builder)
        }
        guard case .column(let column) = left else {
            return "(\(sql(left, &builder)) \(op.rawValue) \(sql(right, &builder)))"
        }
        let symbol = op.rawValue
        switch (column.name, column.role, right) {
        case ("region", _, .text(let text)), ("region", _, .number(let text)):
            guard op == .equal || op == .notEqual else { break }
            let codes = catalogue.regionCodes(matching: text)
            return "(\(column.sql) \(op == .equal ? "" : "NOT ")IN \(builder.list(codes)))"
        case (_, .period, .period(let period)):
            return periodComparison(op, period, &builder)
        case (_, .period, .number(let text)):
            guard let year = Int(text), text.count == 4 else { break }
            return periodComparison(op, .year(year), &builder)
        case (_, _, .date(let date)):
            let day = builder.bind(date.description), next = builder.bind(Compilation.dayAfter(date))
            let c = column.sql
            switch op {
            case .less: return "(\(c) < \(day))"
            case .lessOrEqual: return "(\(c) < \(next))"
            case .greater: return "(\(c) >= \(next))"
            case .greaterOrEqual: return "(\(c) >= \(day))"
            case .notEqual: return "(NOT (\(c) >= \(day) AND \(c) < \(next)))"
            default: return "(\(c) >= \(day) AND \(c) < \(next))"
            }
        case (_, .key, .text(let text)):
            let allowed = catalogue.indicators.flatMap(\.dimensions).filter { $0.name == column.name }.flatMap(\.values)
            return "(\(column.sql) \(symbol) \(builder.bind(Compilation.canonical(text, among: allowed))))"
        case (_, .key, .number(let text)), (_, .meta, .number(let text)):
            return "(\(column.sql) \(symbol) \(builder.bind(text)))"
        default:
            break
        }
        return "(\(sql(left, &builder)) \(symbol) \(sql(right, &builder)))"
    }

    func isColumn(_ term: Term) -> Bool {
        if case .column = term { return true }
        return false
    }

    func periodComparison(_ op: BinaryOperator, _ period: PeriodLiteral, _ builder: inout SQLBuilder) -> String {
        let fm = SQLText.identifier(Relation.firstMonth), lm = SQLText.identifier(Relation.lastMonth)
        let first = builder.bind(period.months.lowerBound), last = builder.bind(period.months.upperBound)
        switch op {
        case .less: return "(\(lm) < \(first))"
        case .lessOrEqual: return "(\(lm) <= \(last))"
        case .greater: return "(\(fm) > \(last))"
        case .greaterOrEqual: return "(\(fm) >= \(first))"
        case .notEqual: return "(NOT (\(fm) = \(first) AND \(lm) = \(last)))"
        default: return "(\(fm) = \(first) AND \(lm) = \(last))"
        }
    }

    static func mirrored(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return op
        }
    }

    /// `region within "…"`: the members of a region group, or a 2025 unit with, for
    /// additive indicators only, its predecessors.
    mutating func within(_ text: String, _ builder: inout SQLBuilder) -> String {
        guard let group = catalogue.regionGroup(matching: text), let region = relation.column("region") else { return "0" }
        guard group.isBoundaryUnit else { return "(\(region.sql) IN \(builder.list(group.members)))" }
        let additive = SQLText.identifier(Relation.additive)
        guard relation.has(Relation.additive) else {
            return "(\(region.sql) IN \(builder.list([group.code] + group.members)))"
        }
        let message = "within \(group.code): the rows of its predecessors (\(group.members.joined(separator: ", "))) "
            + "are kept only for additive indicators; for the others only \(group.code)'s own rows are shown"
        warnings.append("SELECT \(builder.bind(message)) AS message FROM \(relation.name) WHERE \(additive) = 0"
                        + " AND \(region.sql) IN \(builder.list(group.members)) LIMIT 1")
        return "(\(region.sql) = \(builder.bind(group.code)) OR (\(region.sql) IN \(builder.list(group.members)) AND \(additive) = 1))"
    }
}
