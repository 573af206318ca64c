import AlmanacDomain
import AlmanacLog
import Foundation

/// Extending the catalogue with events: new indicators and regions need no code change.
public struct CatalogueFile: Codable, Sendable {
    public var indicators: [IndicatorDefinition]?
    public var regions: [Region]?

    public init(indicators: [IndicatorDefinition]?, regions: [Region]?) {
        self.indicators = indicators
        self.regions = regions
    }
}

extension Store {
    /// Appends `IndicatorDefined` and `RegionDefined` events for the definitions in a JSON
    /// file (`{"indicators": [...], "regions": [...]}`, the shapes `almanac catalogue --json`
    /// prints). A definition equal to the current one is skipped; a changed one replaces it.
    @discardableResult
    public func define(fromFile path: String) throws -> (indicators: Int, regions: Int) {
        try requireInitialised()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(.badArgument, "cannot read \(path)")
        }
        let file: CatalogueFile
        do { file = try JSONDecoder().decode(CatalogueFile.self, from: data) } catch {
            throw StoreError(.badArgument, "\(path): not a catalogue file: \(Store.describe(decodingError: error))")
        }
        for i in file.indicators ?? [] {
            let problems = i.problems()
            if !problems.isEmpty { throw StoreError(.badArgument, "\(path): indicator \(i.code): \(problems.joined(separator: "; "))") }
        }
        let (indicators, regions) = try catalogue()
        var events: [PendingEvent] = []
        var counts = (indicators: 0, regions: 0)
        for i in file.indicators ?? [] where indicators.indicator(code: i.code) != i {
            events.append(PendingEvent(type: EventType.indicatorDefined.rawValue, data: try PayloadCoding.encode(i)))
            counts.indicators += 1
        }
        for r in file.regions ?? [] where regions.region(code: r.code) != r {
            events.append(PendingEvent(type: EventType.regionDefined.rawValue, data: try PayloadCoding.encode(r)))
            counts.regions += 1
        }
        if !events.isEmpty {
            try withWriter { _ = try $0.append(events) }
            _ = try readModel.openCaughtUp()
        }
        return counts
    }

    static func describe(decodingError error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let c): return "missing \"\(key.stringValue)\" at \(path(c.codingPath))"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c): return "\(c.debugDescription) at \(path(c.codingPath))"
        case DecodingError.dataCorrupted(let c): return "\(c.debugDescription) at \(path(c.codingPath))"
        default: return "\(error)"
        }
    }

    private static func path(_ keys: [CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
}
