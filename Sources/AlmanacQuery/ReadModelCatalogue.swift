import AlmanacDomain
import AlmanacSQLite
import Foundation

/// The ``QueryCatalogue`` of a store, read once from its read model.
///
/// - Indicators come from `indicators`: the dimensions and their allowed values from the
///   `definition` JSON (an `IndicatorDefinition`), the rule from `aggregation` (`flow`,
///   `stock`; `index` and `rate` both become ``AggregationRule/indexOrRate``).
/// - Regions come from `regions`: code, Vietnamese name, ASCII name, and from the
///   `definition` JSON (a `Region`) the English name and the aliases agencies use.
/// - Region groups are the regions of level `region` (members: the regions whose `parent`
///   is the group) and the 2025 units listed in `region_lineage` (members: their
///   predecessors).
///
/// A snapshot: indicators or regions defined after loading are not seen until the
/// catalogue is loaded again. Definitions that do not decode are read with what the columns
/// alone say (no dimensions, no aliases) rather than hiding the indicator or region.
public struct ReadModelCatalogue: QueryCatalogue {
    public let indicators: [IndicatorDescription]
    public let regions: [RegionDescription]
    public let regionGroups: [RegionGroupDescription]

    /// Reads the catalogue tables of a read model.
    ///
    /// - Parameter database: A connection to the read model (read-only is enough).
    /// - Throws: `SQLiteError` when the tables cannot be read.
    public init(database: Database) throws {
        indicators = try Self.loadIndicators(database)
        let (regions, groups) = try Self.loadRegions(database)
        self.regions = regions
        regionGroups = groups
    }

    /// The rule of an `indicators.aggregation` value.
    static func rule(_ aggregation: String) -> AggregationRule {
        switch aggregation {
        case "flow": return .flow
        case "stock": return .stock
        default: return .indexOrRate
        }
    }

    static func loadIndicators(_ database: Database) throws -> [IndicatorDescription] {
        let decoder = JSONDecoder()
        return try database.rows("SELECT code, aggregation, definition FROM indicators ORDER BY code").map { row in
            let code = row[0].textValue
            let definition = try? decoder.decode(IndicatorDefinition.self, from: Data(row[2].textValue.utf8))
            let dimensions = (definition?.dimensions ?? []).map { dimension in
                DimensionDescription(name: dimension.name, values: dimension.values.map(\.code))
            }
            return IndicatorDescription(code: code, rule: rule(row[1].textValue), dimensions: dimensions)
        }
    }

    static func loadRegions(_ database: Database) throws -> ([RegionDescription], [RegionGroupDescription]) {
        let decoder = JSONDecoder()
        var regions: [RegionDescription] = []
        var groupRows: [(code: String, names: [String])] = []
        var children: [String: [String]] = [:]
        var namesByCode: [String: [String]] = [:]
        let sql = "SELECT code, name, ascii_name, level, parent, definition FROM regions ORDER BY level, code"
        for row in try database.rows(sql) {
            let code = row[0].textValue
            var names = [row[1].textValue, row[2].textValue]
            if let region = try? decoder.decode(Region.self, from: Data(row[5].textValue.utf8)) {
                names += (region.englishName.map { [$0] } ?? []) + region.aliases
            }
            var unique: [String] = []
            for name in names where !name.isEmpty && !unique.contains(name) { unique.append(name) }
            regions.append(RegionDescription(code: code, names: unique))
            namesByCode[code] = unique
            if row[3].textValue == "region" { groupRows.append((code, unique)) }
            if case .text(let parent) = row[4] { children[parent, default: []].append(code) }
        }
        var groups = groupRows.map { RegionGroupDescription(code: $0.code, names: $0.names, members: children[$0.code] ?? []) }
        var lineage: [String: [String]] = [:]
        var units: [String] = []
        for row in try database.rows("SELECT unit, predecessor FROM region_lineage ORDER BY unit, predecessor") {
            let unit = row[0].textValue
            if lineage[unit] == nil { units.append(unit) }
            lineage[unit, default: []].append(row[1].textValue)
        }
        for unit in units {
            groups.append(RegionGroupDescription(code: unit, names: namesByCode[unit] ?? [], members: lineage[unit] ?? [],
                                                 isBoundaryUnit: true))
        }
        return (regions, groups)
    }
}

extension SQLValue {
    /// The value as text: text as is, numbers spelled out, NULL and blobs empty.
    var textValue: String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .null, .blob: return ""
        }
    }
}

extension QueryCatalogue {
    /// The codes of every region whose code or a name matches `text`, ignoring accents and
    /// case: `Thai Nguyen` is both `19` (to 2025-06-30) and `19N` (from 2025-07-01).
    func regionCodes(matching text: String) -> [String] {
        let folded = FoldedText.of(text)
        return regions.filter { region in
            FoldedText.of(region.code) == folded || region.names.contains { FoldedText.of($0) == folded }
        }.map(\.code)
    }

    /// The region group whose code or a name matches `text`, ignoring accents and case.
    func regionGroup(matching text: String) -> RegionGroupDescription? {
        let folded = FoldedText.of(text)
        return regionGroups.first { group in
            FoldedText.of(group.code) == folded || group.names.contains { FoldedText.of($0) == folded }
        }
    }
}
