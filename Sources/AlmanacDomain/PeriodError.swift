/// Why a text is not a period, with a hint saying what to write instead.
///
/// The hint names the fix in the agency's own terms (`write 2024-Q1`), because the person
/// reading a rejection report is the one who has to correct the spreadsheet.
public struct PeriodError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, in broad classes a program can branch on.
    public enum Kind: String, Sendable, Hashable, Codable {
        case empty, tooLong, unrecognised
        case statusMarker, reversedOrder, ambiguousDate, dayNotPeriod, excelSerial
        case monthOutOfRange, quarterOutOfRange, halfOutOfRange, annualOutOfRange, yearOutOfRange
        case rangeReversed, rangeCrossesYear, rangeMixedFrequencies, rangeTooLong
    }

    /// The class of the error.
    public let kind: Kind
    /// The text as given (cut to 64 characters so a report line stays readable).
    public let input: String
    /// One sentence saying what is wrong, quoting the input.
    public let message: String
    /// What to write instead, when there is something useful to say.
    public let hint: String?

    /// Creates an error; `input` is cut to 64 characters.
    public init(_ kind: Kind, input: String, message: String, hint: String? = nil) {
        self.kind = kind
        self.input = String(input.prefix(64))
        self.message = message
        self.hint = hint
    }

    /// `message (hint: …)`.
    public var description: String {
        hint.map { "\(message) (hint: \($0))" } ?? message
    }

    /// The forms Almanac accepts, for hints that have nothing more specific to say.
    static let acceptedForms =
        "write a year (2021), half (2021-H1), quarter (2021-Q3), month (2021-07) or months (2021-01..2021-09)"
}
