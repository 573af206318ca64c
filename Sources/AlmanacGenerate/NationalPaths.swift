/// The national shapes every provincial series follows, by year: rounded from what Vietnam
/// published (GSO), with a plain default outside the table.
///
/// Inflation is kept inside 2–4 % a year; real growth has the 2020–2021 COVID dip (and the
/// third quarter of 2021, when the south was locked down).
enum NationalPaths {
    /// Average CPI inflation, percent per year.
    static func inflation(_ year: Int) -> Double {
        let table: [Int: Double] = [2015: 2.0, 2016: 2.7, 2017: 3.5, 2018: 3.5, 2019: 2.8, 2020: 3.2,
                                    2021: 2.0, 2022: 3.2, 2023: 3.3, 2024: 3.6, 2025: 3.3]
        return table[year] ?? 3.0
    }

    /// Real GDP growth, percent on the same quarter of the previous year.
    static func realGrowth(_ year: Int, quarter: Int) -> Double {
        let annual: [Int: Double] = [2015: 6.7, 2016: 6.2, 2017: 6.8, 2018: 7.1, 2019: 7.0, 2020: 2.9,
                                     2021: 2.6, 2022: 8.0, 2023: 5.0, 2024: 7.1, 2025: 7.5]
        let quarterly: [Int: [Double]] = [2020: [0.8, -2.5, -0.3, 1.6], 2021: [2.1, 4.0, -8.6, 2.6],
                                          2022: [-2.9, -0.3, 5.8, -2.1]]
        return (annual[year] ?? 6.0) + (quarterly[year]?[quarter - 1] ?? 0)
    }

    /// Nominal growth of state budget revenue, percent per year.
    static func revenueGrowth(_ year: Int) -> Double {
        let table: [Int: Double] = [2015: 9, 2016: 10, 2017: 10, 2018: 8, 2019: 10, 2020: -2, 2021: 9,
                                    2022: 10, 2023: -1, 2024: 12, 2025: 15]
        return table[year] ?? 8
    }

    /// FDI projects licensed in the whole country in a year.
    static func fdiProjects(_ year: Int) -> Double {
        let table: [Int: Double] = [2015: 2013, 2016: 2613, 2017: 2741, 2018: 3147, 2019: 4028, 2020: 2610,
                                    2021: 1818, 2022: 2036, 2023: 3188, 2024: 3375, 2025: 3500]
        return table[year] ?? 2500
    }

    /// FDI capital newly registered in the whole country in a year, million USD.
    static func fdiCapital(_ year: Int) -> Double {
        let table: [Int: Double] = [2015: 15_600, 2016: 15_200, 2017: 21_300, 2018: 17_900, 2019: 16_700,
                                    2020: 14_600, 2021: 15_300, 2022: 12_500, 2023: 20_200, 2024: 19_700,
                                    2025: 18_000]
        return table[year] ?? 15_000
    }
}
