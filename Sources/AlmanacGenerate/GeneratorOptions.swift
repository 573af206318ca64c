import AlmanacDomain

/// What to generate: the years, the seed, the size and the file format.
///
/// The same options always give the same bytes. A value depends only on the seed and its key
/// (indicator, region, period, breakdown), never on the year range: generating 2020–2021 gives
/// the same 2021 figures as generating 2015–2025.
public struct GeneratorOptions: Sendable, Hashable, Codable {
    /// The file format of the agency files.
    public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
        /// Almanac's native CSV (DESIGN.md §5).
        case csv
        /// SDMX-CSV 1.0 (see ``RowEncoder`` for the columns).
        case sdmxCSV = "sdmx-csv"

        /// The file name extension.
        public var fileExtension: String { "csv" }
    }

    /// The first year of data (figures released in it or later).
    public var from: Int
    /// The last year of data; its fourth quarter is released early in the next year.
    public var to: Int
    /// The seed; every figure is a function of it.
    public var seed: UInt64
    /// The size factor, 1 or more: see ``Generator`` for what it multiplies.
    public var scale: Int
    /// The file format.
    public var format: Format

    /// The earliest year accepted: Vietnam's provinces took their 63-province shape in 2008,
    /// and figures much older than that would not be the modern series this data imitates.
    public static let yearMin = 2000
    /// The latest year accepted.
    public static let yearMax = 2100
    /// The largest scale accepted: 1,000 rounds of the 2015–2025 monthly tables is about
    /// 130 million rows, far past what a benchmark on two cores needs.
    public static let scaleMax = 1_000

    /// Creates options; the defaults are the demo data set (2015–2025, seed 1, native CSV).
    public init(from: Int = 2015, to: Int = 2025, seed: UInt64 = 1, scale: Int = 1, format: Format = .csv) {
        self.from = from
        self.to = to
        self.seed = seed
        self.scale = scale
        self.format = format
    }

    /// What is wrong with the options, or nil when they can be generated.
    public func problem() -> String? {
        let years = GeneratorOptions.yearMin...GeneratorOptions.yearMax
        if !years.contains(from) || !years.contains(to) {
            return "years must lie in \(years.lowerBound)...\(years.upperBound) (got \(from)...\(to))"
        }
        if from > to { return "the first year \(from) is after the last year \(to)" }
        if !(1...GeneratorOptions.scaleMax).contains(scale) {
            return "scale must be 1...\(GeneratorOptions.scaleMax) (got \(scale))"
        }
        return nil
    }
}
