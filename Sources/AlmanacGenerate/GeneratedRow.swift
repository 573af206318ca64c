import AlmanacDomain

/// One observation as an agency file states it: the native CSV row before it is written.
///
/// Every field is valid against the standard catalogues: the indicator exists, the region
/// is valid for the period, the breakdown values are allowed, the unit is the indicator's.
public struct GeneratedRow: Sendable, Hashable {
    /// The indicator code (`gdp.grdp_growth`).
    public let indicator: String
    /// The region code (`19`, `19N`).
    public let region: String
    /// The reference period.
    public let period: Period
    /// The value as plain decimal text (`6.5`).
    public let value: String
    /// The unit code (`percent`).
    public let unit: String
    /// `preliminary`, `revised` or `final`.
    public let status: String
    /// The agency's release date.
    public let releaseDate: CalendarDate
    /// Breakdown dimension values by dimension name (`price` → `constant_2010`).
    public let dimensions: [String: String]

    /// Creates a row.
    public init(indicator: String, region: String, period: Period, value: String, unit: String, status: String,
                releaseDate: CalendarDate, dimensions: [String: String]) {
        self.indicator = indicator
        self.region = region
        self.period = period
        self.value = value
        self.unit = unit
        self.status = status
        self.releaseDate = releaseDate
        self.dimensions = dimensions
    }

    /// The observation key: indicator, region, period and the breakdown, as one string.
    ///
    /// Two rows with the same key describe the same observation (a revision or a repeat).
    public var key: String {
        ([indicator, region, period.description] + dimensions.keys.sorted().map { "\($0)=\(dimensions[$0]!)" })
            .joined(separator: "|")
    }

    /// This row with another value and status (a revision of it).
    func with(value: String, status: String) -> GeneratedRow {
        GeneratedRow(indicator: indicator, region: region, period: period, value: value, unit: unit, status: status,
                     releaseDate: releaseDate, dimensions: dimensions)
    }
}
