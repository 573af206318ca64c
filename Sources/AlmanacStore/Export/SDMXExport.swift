import AlmanacDomain
import Foundation

/// The SDMX-CSV 1.0 files of an export (see `docs/exports.md`).
///
/// ```
/// DATAFLOW,REF_AREA,INDICATOR,<DIMENSIONS>,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS
/// ALMANAC:gdp(1.0),19,gdp.grdp_growth,CONSTANT_2010?…
/// ```
/// - `DATAFLOW` is `ALMANAC:<family>(1.0)`; `INDICATOR` the whole indicator code;
/// - one column per breakdown dimension present in the file, its name upper-cased (the
///   ingest matches dimension names without case); an empty cell where a row's indicator
///   has no such dimension;
/// - `TIME_PERIOD` in SDMX spelling (`2021-S1`, `2021-Q3`, `2021-M07`, `2021`); runs such
///   as `2021-01..2021-09`, which SDMX cannot express, keep Almanac's spelling;
/// - `OBS_VALUE` exactly as reported; `UNIT_MEASURE` the unit code;
/// - `OBS_STATUS` `A` (final), `P` (preliminary), `E` (estimated), or the word `revised`.
///
/// Lines end with CRLF; fields are quoted only when RFC 4180 requires it. Cells are not
/// neutralised against formulas: every cell is a validated code or a decimal number.
enum SDMXExport {
    /// The SDMX-CSV version written.
    static let version = "1.0"

    /// The mapping file written beside the SDMX-CSV files: it tells the ingest that the
    /// `INDICATOR` column holds the Almanac indicator code.
    static let mappingFileName = "sdmx-mapping.json"

    static let statusCodes = ["final": "A", "preliminary": "P", "estimated": "E"]

    static func columns(dimensions: [String]) -> [String] {
        ["DATAFLOW", "REF_AREA", "INDICATOR"] + dimensions.map { $0.uppercased() }
            + ["TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS"]
    }

    static func header(dimensions: [String]) -> String {
        columns(dimensions: dimensions).map(ExportEncoding.csvField).joined(separator: ",") + "\r\n"
    }

    static func line(_ o: ExportObservation, dimensions: [String]) -> String {
        let family = o.indicator.split(separator: ".", maxSplits: 1).first.map(String.init) ?? o.indicator
        var cells = ["ALMANAC:\(family)(1.0)", o.region, o.indicator]
        for d in dimensions { cells.append(o.dimensions.first { $0.name == d }?.value ?? "") }
        let period = (try? Period.parse(o.period))?.sdmxDescription ?? o.period
        cells += [period, o.value, o.unit, statusCodes[o.status] ?? o.status]
        return cells.map(ExportEncoding.csvField).joined(separator: ",") + "\r\n"
    }

    /// A safe file-name part for an agency id (ids are lower-case letters, digits, `-`, `_`).
    static func fileLabel(_ agency: String) -> String {
        let safe = String(agency.unicodeScalars.map { scalar -> Character in
            let c = Character(scalar)
            return (c.isASCII && (c.isLetter || c.isNumber)) || c == "-" || c == "_" ? c : "_"
        })
        return safe.isEmpty ? "unknown" : String(safe.prefix(64))
    }

    /// The SDMX mapping (`docs/formats/px-web-mapping.md`) that reads the files back: one
    /// rule per indicator, `INDICATOR` = code → that indicator; any other row is an error.
    static func mapping(indicators: [String]) -> String {
        let j = ExportEncoding.jsonString
        let rules = indicators.sorted().map { "    {\"match\": {\"INDICATOR\": \(j($0))}, \"indicator\": \(j($0))}" }
        return """
            {
              "format": "sdmx",
              "version": 1,
              "name": "Almanac export: the INDICATOR column holds the Almanac indicator code",
              "unmatched": "error",
              "indicators": [
            \(rules.joined(separator: ",\n"))
              ]
            }

            """
    }
}
