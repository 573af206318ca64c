import Foundation

/// How an indicator's values combine over time, which decides every frequency conversion.
///
/// Called `TemporalAggregation` so it never clashes with the query language's `Aggregation`
/// and `AggregationRule` in a file that imports both modules.
public enum TemporalAggregation: String, Sendable, Hashable, Codable, CaseIterable {
    /// A quantity per period (revenue, investment): a quarter is the sum of its months.
    case flow
    /// A level at a moment (debt outstanding): a quarter takes its last month.
    case stock
    /// An index (CPI): a quarter is the mean of its months; never summed.
    case index
    /// A rate or growth (GRDP growth %): averaged where meaningful; never summed.
    case rate

    /// Whether values may be added across periods.
    public var sumsOverTime: Bool { self == .flow }
}

/// A value a breakdown dimension may take, with its label.
public struct DimensionValue: Sendable, Hashable, Codable {
    /// The code written in files and queries (`actual`).
    public let code: String
    /// The label shown to people (`Actual (final accounts)`).
    public let label: String

    /// Creates a value.
    public init(_ code: String, _ label: String) {
        self.code = code
        self.label = label
    }
}

/// A breakdown of an indicator: CPI basket group, budget item, investment source, ….
///
/// Not called `Dimension`, which Foundation already exports (the `NSDimension` unit class).
public struct IndicatorDimension: Sendable, Hashable, Codable {
    /// The name, which is also the native CSV column (`group`, `measure`, `item`).
    public let name: String
    /// The allowed values; a value outside this list rejects the row.
    public let values: [DimensionValue]
    /// The value assumed when a file has no column for this dimension; nil makes it required.
    public let defaultValue: String?

    /// Creates a dimension.
    ///
    /// - Precondition: `defaultValue`, when given, is one of `values`.
    public init(name: String, values: [DimensionValue], defaultValue: String? = nil) {
        precondition(defaultValue.map { d in values.contains { $0.code == d } } ?? true,
                     "default \(defaultValue ?? "") not among the values of \(name)")
        self.name = name
        self.values = values
        self.defaultValue = defaultValue
    }

    /// Whether `code` is an allowed value.
    public func allows(_ code: String) -> Bool { values.contains { $0.code == code } }

    /// The label of `code`, or nil when it is not allowed.
    public func label(for code: String) -> String? { values.first { $0.code == code }?.label }
}

/// The range of values that is believable for an indicator; values outside are rejected
/// as probable errors of unit or scale (a GRDP growth of 650 % is a misplaced decimal point).
public struct PlausibleRange: Sendable, Hashable, Codable {
    /// The smallest believable value, or nil for no lower bound.
    public let min: Double?
    /// The largest believable value, or nil for no upper bound.
    public let max: Double?
    /// Whether negative values can occur at all (growth can be negative; a count cannot).
    public let negativesAllowed: Bool

    /// Creates a range.
    public init(min: Double? = nil, max: Double? = nil, negativesAllowed: Bool) {
        self.min = min
        self.max = max
        self.negativesAllowed = negativesAllowed
    }

    /// Why `value` is implausible, or nil when it is plausible.
    public func problem(with value: Double) -> String? {
        if !value.isFinite { return "value is not a finite number" }
        if value < 0, !negativesAllowed { return "negative value \(value) is impossible for this indicator" }
        if let min, value < min { return "value \(value) is below the plausible minimum \(min)" }
        if let max, value > max { return "value \(value) is above the plausible maximum \(max)" }
        return nil
    }

    /// Whether `value` is plausible.
    public func contains(_ value: Double) -> Bool { problem(with: value) == nil }
}

/// What an indicator measures and how its values behave; defined by `IndicatorDefined` events.
public struct IndicatorDefinition: Sendable, Hashable, Codable, Identifiable {
    /// The code, `family.name` in lowercase (`gdp.grdp`).
    public let code: String
    /// The family (`budget`, `investment`, `gdp`, `cpi`, or a new one); scopes agencies.
    public let family: String
    /// A short English name.
    public let name: String
    /// The unit code (see ``MeasureUnit``).
    public let unit: String
    /// How values combine over time.
    public let aggregation: TemporalAggregation
    /// The breakdown dimensions, in display order.
    public let dimensions: [IndicatorDimension]
    /// Believable values.
    public let range: PlausibleRange
    /// Whether values of provinces add up to their region (true for flows in VND; never for
    /// rates and indices). Governs rolling old provinces onto the 2025 units.
    public let additiveAcrossRegions: Bool

    /// Creates a definition.
    public init(code: String, family: String, name: String, unit: String, aggregation: TemporalAggregation,
                dimensions: [IndicatorDimension] = [], range: PlausibleRange, additiveAcrossRegions: Bool) {
        self.code = code
        self.family = family
        self.name = name
        self.unit = unit
        self.aggregation = aggregation
        self.dimensions = dimensions
        self.range = range
        self.additiveAcrossRegions = additiveAcrossRegions
    }

    /// The code, for `Identifiable`.
    public var id: String { code }

    /// The dimension called `name`, or nil.
    public func dimension(_ name: String) -> IndicatorDimension? { dimensions.first { $0.name == name } }

    /// The longest code accepted; codes are identifiers in queries and SQL parameters.
    public static let codeCharactersMax = 64

    /// What is wrong with the definition, empty when nothing is; checked before an
    /// `IndicatorDefined` event is appended.
    public func problems() -> [String] {
        var out: [String] = []
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        let identifier = { (s: Substring) in
            !s.isEmpty && s.first!.isLetter && s.allSatisfy { ($0.isLowercase || $0.isNumber || $0 == "_") && $0.isASCII }
        }
        if code.count > Self.codeCharactersMax { out.append("code longer than \(Self.codeCharactersMax) characters") }
        if parts.count != 2 || !parts.allSatisfy(identifier) {
            out.append("code '\(code)' is not family.name in lowercase letters, digits and _")
        } else if parts[0] != family {
            out.append("code '\(code)' does not start with its family '\(family)'")
        }
        if MeasureUnit.unit(code: unit) == nil { out.append("unknown unit '\(unit)'") }
        if !aggregation.sumsOverTime, additiveAcrossRegions, aggregation != .stock {
            out.append("\(aggregation.rawValue) indicators cannot be additive across regions")
        }
        var names = Set<String>()
        for d in dimensions {
            if !names.insert(d.name).inserted { out.append("dimension '\(d.name)' defined twice") }
            if d.values.isEmpty { out.append("dimension '\(d.name)' has no values") }
            if Set(d.values.map(\.code)).count != d.values.count { out.append("dimension '\(d.name)' repeats a value") }
        }
        if let min = range.min, let max = range.max, min > max { out.append("plausible minimum above maximum") }
        return out
    }

    /// Checks the dimension values of one observation and fills in defaults.
    ///
    /// - Returns: a value for every dimension of the indicator, keyed by dimension name.
    /// - Throws: ``IndicatorError`` for an unknown dimension, a value not allowed, or a
    ///   missing value of a dimension without a default.
    public func normalise(dimensions given: [String: String]) throws(IndicatorError) -> [String: String] {
        for name in given.keys.sorted() where dimension(name) == nil {
            throw IndicatorError(code: code, message: "indicator \(code) has no dimension '\(name)'",
                                 hint: dimensions.isEmpty ? "it has no dimensions" :
                                    "its dimensions are " + dimensions.map(\.name).joined(separator: ", "))
        }
        var out: [String: String] = [:]
        for d in dimensions {
            guard let value = given[d.name] ?? d.defaultValue else {
                throw IndicatorError(code: code, message: "indicator \(code) needs a value for '\(d.name)'",
                                     hint: "one of " + d.values.map(\.code).joined(separator: ", "))
            }
            guard d.allows(value) else {
                let near = DidYouMean.suggestions(for: value, among: d.values.map(\.code))
                throw IndicatorError(code: code, message: "'\(value)' is not a value of \(d.name) for \(code)",
                                     hint: near.isEmpty ? "one of " + d.values.map(\.code).joined(separator: ", ")
                                                        : "did you mean " + near.joined(separator: ", ") + "?")
            }
            out[d.name] = value
        }
        return out
    }
}

/// A problem with an indicator code or its dimensions, with a hint.
public struct IndicatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The indicator code as written.
    public let code: String
    /// One sentence saying what is wrong.
    public let message: String
    /// What to write instead, when known.
    public let hint: String?

    /// Creates an error.
    public init(code: String, message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// `message (hint: …)`.
    public var description: String { hint.map { "\(message) (hint: \($0))" } ?? message }
}
