import AlmanacDomain

/// Writes rows as native CSV or SDMX-CSV 1.0 text.
///
/// **Native CSV** (DESIGN.md §5): header
/// `indicator,region,period,value,unit,status,release_date` followed by the file's breakdown
/// columns (`group`, `base`, `measure`, `item`, `sector`, `price`); a row without a value for
/// a column leaves it empty (the indicator has no such dimension).
///
/// **SDMX-CSV 1.0**: header
/// `DATAFLOW,REF_AREA,INDICATOR,<breakdown columns upper-cased>,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS`.
/// - `DATAFLOW` is `ALMANAC:<family>(1.0)` and `INDICATOR` the rest of the code, so a reader
///   without a mapping rebuilds the indicator as `<dataflow id>.<INDICATOR>` (`gdp.grdp_growth`);
/// - `TIME_PERIOD` uses the SDMX spelling (`2021-S1`, `2021-Q3`, `2021-M07`, `2021`); the
///   cumulative periods SDMX cannot express keep Almanac's spelling (`2021-01..2021-09`);
/// - `OBS_STATUS` is `A` (final), `P` (preliminary), `E` (estimated), and the word `revised`,
///   which has no SDMX code;
/// - there is no release date column: SDMX-CSV 1.0 has no standard attribute for it.
///
/// Lines end with `\n`; a field is quoted (RFC 4180) only if it holds `,`, `"` or a line break,
/// which no generated field does today.
struct RowEncoder {
    let format: GeneratorOptions.Format
    let dimensionNames: [String]

    /// The header line, with its line break.
    func header() -> String {
        switch format {
        case .csv:
            return (["indicator", "region", "period", "value", "unit", "status", "release_date"] + dimensionNames)
                .joined(separator: ",") + "\n"
        case .sdmxCSV:
            return (["DATAFLOW", "REF_AREA", "INDICATOR"] + dimensionNames.map { $0.uppercased() }
                    + ["TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS"]).joined(separator: ",") + "\n"
        }
    }

    /// One data line, with its line break.
    func line(for row: GeneratedRow) -> String {
        let dims = dimensionNames.map { row.dimensions[$0] ?? "" }
        let fields: [String]
        switch format {
        case .csv:
            fields = [row.indicator, row.region, row.period.description, row.value, row.unit, row.status,
                      row.releaseDate.description] + dims
        case .sdmxCSV:
            let dot = row.indicator.firstIndex(of: ".")!
            let family = row.indicator[..<dot], name = row.indicator[row.indicator.index(after: dot)...]
            fields = ["ALMANAC:\(family)(1.0)", row.region, String(name)] + dims
                + [row.period.sdmxDescription ?? row.period.description, row.value, row.unit,
                   RowEncoder.sdmxStatus[row.status] ?? row.status]
        }
        return fields.map(RowEncoder.quoted).joined(separator: ",") + "\n"
    }

    /// Almanac status → SDMX `OBS_STATUS` (codelist CL_OBS_STATUS).
    static let sdmxStatus = ["final": "A", "preliminary": "P", "estimated": "E"]

    /// `field`, quoted when RFC 4180 requires it.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
