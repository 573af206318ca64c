/// Prints a syntax tree as canonical query text: one line, single spaces, steps joined with
/// ` | `, periods in their canonical spelling, strings re-escaped, and only the parentheses
/// that precedence requires.
///
/// Printing and parsing are inverses up to spans and spelling: `Query.parse(print(q)) == q`
/// for every query `q` the parser produced.
public enum QueryPrinter {
    /// The canonical text of a query.
    public static func print(_ query: Query) -> String {
        let source = "from " + query.indicators.map { print($0.value) }.joined(separator: ", ")
        return ([source] + query.steps.map { print($0.value) }).joined(separator: " | ")
    }

    /// The canonical text of an indicator reference: `cpi.index(group = "food")`.
    public static func print(_ indicator: IndicatorReference) -> String {
        guard !indicator.filters.isEmpty else { return indicator.name.value }
        let filters = indicator.filters.map { filter -> String in
            let values = filter.value.values.map { quote($0.value) }
            let dimension = filter.value.dimension.value
            return values.count == 1 ? "\(dimension) = \(values[0])" : "\(dimension) in (\(values.joined(separator: ", ")))"
        }
        return "\(indicator.name.value)(\(filters.joined(separator: ", ")))"
    }

    /// The canonical text of one step.
    public static func print(_ step: Step) -> String {
        let words: [String?]
        switch step {
        case .filter(let condition):
            words = ["where", print(condition.value)]
        case .during(let selections):
            words = ["during", selections.map(\.value.description).joined(separator: ", ")]
        case .asof(let when, let versus):
            words = ["asof", when.value.description, versus.map { "vs \($0.value)" }]
        case .convert(let frequency, let method):
            words = ["convert", frequency.value.rawValue, method?.value.rawValue]
        case .group(let columns, let aggregation, let overPeriod):
            words = ["group by", names(columns), aggregation?.value.rawValue, overPeriod ? "over period" : nil]
        case .growth(let comparison):
            words = ["growth", comparison.rawValue]
        case .change(let comparison):
            words = ["change", comparison.rawValue]
        case .ytd(let method):
            words = ["ytd", method?.rawValue]
        case .decumulate(let method):
            words = ["decumulate", method?.rawValue]
        case .rebase(let period, let base):
            words = ["rebase", period.value.description, base.map { "= \($0.value)" }]
        case .share(let within):
            words = ["share", within.isEmpty ? nil : "within " + names(within)]
        case .rank(let order, let within):
            words = ["rank", order?.rawValue, within.isEmpty ? nil : "within " + names(within)]
        case .pivot(let column):
            words = ["pivot", column.value]
        case .derive(let derivations):
            words = ["derive", derivations.map { "\($0.name.value) = \(print($0.expression.value))" }.joined(separator: ", ")]
        case .sort(let keys):
            words = ["sort", keys.map { ($0.descending ? "-" : "") + $0.column.value }.joined(separator: ", ")]
        case .take(let count):
            words = ["take", String(count.value)]
        case .ratio(let indicator):
            words = ["ratio", print(indicator.value)]
        case .deflate(let indicator):
            words = ["deflate", print(indicator.value)]
        }
        return words.compactMap { $0 }.joined(separator: " ")
    }

    /// The canonical text of an expression.
    public static func print(_ expression: Expression) -> String {
        switch expression {
        case .column(let name): return name
        case .string(let text): return quote(text)
        case .number(let text): return text
        case .period(let period): return period.description
        case .date(let date): return date.description
        case .unary(.negate, let operand):
            return "-" + wrap(operand.value, if: operand.value.precedence < Precedence.atom)
        case .unary(.not, let operand):
            return "not " + wrap(operand.value, if: operand.value.precedence < Precedence.not)
        case .binary(let op, let left, let right):
            // Left-associative: a right operand of equal precedence needs parentheses; comparisons
            // do not chain, so either operand at comparison level needs them.
            let leftNeeds = left.value.precedence < op.precedence
                || (op.precedence == Precedence.comparison && left.value.precedence == op.precedence)
            let rightNeeds = right.value.precedence <= op.precedence
            return "\(wrap(left.value, if: leftNeeds)) \(op.rawValue) \(wrap(right.value, if: rightNeeds))"
        case .membership(let subject, let items, let negated):
            let list = items.map { wrap($0.value, if: $0.value.precedence <= Precedence.comparison) }
            return "\(wrap(subject.value, if: subject.value.precedence <= Precedence.comparison))"
                + (negated ? " not in (" : " in (") + list.joined(separator: ", ") + ")"
        case .within(let subject, let group):
            return "\(wrap(subject.value, if: subject.value.precedence <= Precedence.comparison)) within "
                + wrap(group.value, if: group.value.precedence <= Precedence.comparison)
        case .call(let function, let arguments):
            return function.rawValue + "(" + arguments.map { print($0.value) }.joined(separator: ", ") + ")"
        }
    }

    /// A string literal that reads back as `text`: double quotes, with `"`, `\`, newlines,
    /// tabs and other control characters escaped.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.properties.generalCategory == .control {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func names(_ columns: [Located<String>]) -> String {
        columns.map(\.value).joined(separator: ", ")
    }

    private static func wrap(_ expression: Expression, if needed: Bool) -> String {
        needed ? "(" + print(expression) + ")" : print(expression)
    }
}
