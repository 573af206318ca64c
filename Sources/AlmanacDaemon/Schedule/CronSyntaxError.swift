/// A cron expression that could not be parsed: which field, the text at fault, and why.
///
/// `description` is one line without the expression itself, so that a caller can put it
/// after its own context: `export[2].cron: minute field: 61 is out of range 0-59`.
public struct CronSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault, or nil for a fault of the whole expression (wrong number of fields,
    /// an unknown `@` name, a day that never occurs).
    public var field: CronExpression.Field?
    /// The text at fault: a list item of the field, or the whole expression.
    public var text: String
    /// Why it is wrong, naming `text`.
    public var reason: String

    public init(field: CronExpression.Field?, text: String, reason: String) {
        self.field = field
        self.text = text
        self.reason = reason
    }

    public var description: String {
        field.map { "\($0.rawValue) field: \(reason)" } ?? reason
    }
}
