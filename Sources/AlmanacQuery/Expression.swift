/// An expression in `where` or `derive`.
public indirect enum Expression: Sendable, Hashable {
    /// A column of the row (`region`, `value`, `rank`).
    case column(String)
    /// A string literal, escapes decoded.
    case string(String)
    /// A number exactly as written.
    case number(String)
    /// A period literal (`2021-Q3`); a bare year is a number.
    case period(PeriodLiteral)
    /// A date literal (`2021-07-12`), for comparisons with `known_from`.
    case date(DateLiteral)
    /// `-x` or `not x`.
    case unary(UnaryOperator, Located<Expression>)
    /// `a op b`.
    case binary(BinaryOperator, Located<Expression>, Located<Expression>)
    /// `x in (a, b)`, or `x not in (a, b)` when negated.
    case membership(Located<Expression>, [Located<Expression>], negated: Bool)
    /// `region within "NMM"`: membership of a region group or 2025 provincial unit.
    case within(Located<Expression>, Located<Expression>)
    /// `abs(x)`, `round(x, n)`.
    case call(Function, [Located<Expression>])
}

/// Prefix operators.
public enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-"
    case not
}

/// Infix operators, loosest first: `or`; `and`; comparisons; `+ -`; `* /`.
public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case or, and
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case add = "+", subtract = "-", multiply = "*", divide = "/"

    /// Binding strength; larger binds tighter.
    public var precedence: Int {
        switch self {
        case .or: return Precedence.or
        case .and: return Precedence.and
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return Precedence.comparison
        case .add, .subtract: return Precedence.additive
        case .multiply, .divide: return Precedence.multiplicative
        }
    }
}

/// Precedence levels shared by the parser and the printer.
enum Precedence {
    static let or = 1
    static let and = 2
    static let not = 3
    /// Comparisons, `in` and `within`; they do not chain (`a < b < c` is an error).
    static let comparison = 4
    static let additive = 5
    static let multiplicative = 6
    static let negate = 7
    static let atom = 8
}

extension Expression {
    /// How tightly the expression binds when printed; atoms never need parentheses.
    var precedence: Int {
        switch self {
        case .column, .string, .number, .period, .date, .call: return Precedence.atom
        case .unary(let op, _): return op == .not ? Precedence.not : Precedence.negate
        case .binary(let op, _, _): return op.precedence
        case .membership, .within: return Precedence.comparison
        }
    }

    /// Appends the columns read by the expression written at `span`, in order of appearance.
    fileprivate func collectColumns(span: SourceSpan?, into found: inout [Located<String>]) {
        switch self {
        case .column(let name):
            if let span { found.append(Located(name, at: span)) }
        case .string, .number, .period, .date:
            break
        case .unary(_, let operand):
            operand.value.collectColumns(span: operand.span, into: &found)
        case .binary(_, let left, let right), .within(let left, let right):
            left.value.collectColumns(span: left.span, into: &found)
            right.value.collectColumns(span: right.span, into: &found)
        case .membership(let subject, let list, _):
            subject.value.collectColumns(span: subject.span, into: &found)
            for item in list { item.value.collectColumns(span: item.span, into: &found) }
        case .call(_, let arguments):
            for argument in arguments { argument.value.collectColumns(span: argument.span, into: &found) }
        }
    }
}

extension Located where Value == Expression {
    /// Every column the expression reads, with where it was written, in order of appearance.
    public var columns: [Located<String>] {
        var found: [Located<String>] = []
        value.collectColumns(span: span, into: &found)
        return found
    }
}
