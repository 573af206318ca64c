import AlmanacDomain
import AlmanacLog
import AlmanacSQLite
import Foundation

/// A store directory: the log, its read models, the archive of accepted originals and the
/// quarantine of rejected ones (see `StoreLayout`).
///
/// Writing operations (init, agency registration, ingest) take the log's writer lock for
/// their duration; reads never do. Every operation that reads catches the read model up
/// with the log first, so a crash between an append and its projection heals itself.
public final class Store: @unchecked Sendable {
    public let layout: StoreLayout
    public let readModel: ReadModel
    /// How appends are made durable (fsync per batch unless told otherwise).
    public var durability: Durability = .everyBatch
    /// The clock of appended batches (tests fix it).
    public var clock: @Sendable () -> Int64 = { Timestamp.nowMs() }

    public init(path: String) {
        layout = StoreLayout(root: path)
        readModel = ReadModel(layout: layout)
    }

    /// True once `initialize` has written the reference data.
    public var isInitialised: Bool {
        guard let segments = try? SegmentDirectory(path: layout.log).segments(), !segments.isEmpty,
              let head = try? LogReader(path: layout.log).headSequence() else { return false }
        return head > 1
    }

    func logOptions() -> LogOptions {
        var o = LogOptions()
        o.durability = durability
        o.clock = clock
        return o
    }

    /// Runs `body` holding the log's writer lock.
    public func withWriter<T>(_ body: (LogWriter) throws -> T) throws -> T {
        let writer = try LogWriter(path: layout.log, options: logOptions())
        defer { try? writer.close() }
        return try body(writer)
    }

    public struct InitReport: Sendable {
        public var created: Bool
        public var indicators: Int
        public var regions: Int
        public var sequence: UInt64
    }

    /// Creates the store and writes the reference data (the indicator catalogue and the
    /// regions, including the 2025 merger) as events, once. Running it again is a no-op.
    @discardableResult
    public func initialize(indicators: IndicatorCatalogue = .standard, regions: RegionCatalogue = .standard) throws -> InitReport {
        try layout.createDirectories()
        let report: InitReport = try withWriter { writer in
            if writer.nextSequence > 1 {
                return InitReport(created: false, indicators: 0, regions: 0, sequence: writer.nextSequence - 1)
            }
            var payloads: [PendingEvent] = []
            for i in indicators.indicators {
                payloads.append(PendingEvent(type: EventType.indicatorDefined.rawValue, data: try PayloadCoding.encode(i)))
            }
            for r in regions.regions {
                payloads.append(PendingEvent(type: EventType.regionDefined.rawValue, data: try PayloadCoding.encode(r)))
            }
            let r = try writer.append(payloads)
            return InitReport(created: true, indicators: indicators.indicators.count, regions: regions.regions.count, sequence: r.lastSequence)
        }
        _ = try readModel.openCaughtUp()
        return report
    }

    func requireInitialised() throws {
        guard isInitialised else {
            throw StoreError(.notInitialised, "no initialised store at \(layout.root); run `almanac init --store \(layout.root)` first")
        }
    }

    /// Registers an agency (or replaces its scope and key): one `AgencyRegistered` event.
    @discardableResult
    public func registerAgency(_ agency: Agency) throws -> UInt64 {
        try requireInitialised()
        let data = try PayloadCoding.encode(agency)
        let r = try withWriter { try $0.append([PendingEvent(type: EventType.agencyRegistered.rawValue, data: data)]) }
        _ = try readModel.openCaughtUp()
        return r.firstSequence
    }

    /// Registers several agencies in one atomic batch: one `AgencyRegistered` event each,
    /// one append (one fsync) for all of them.
    ///
    /// - Returns: the sequence of the first event, or `nil` when `agencies` is empty.
    @discardableResult
    public func registerAgencies(_ agencies: [Agency]) throws -> UInt64? {
        try requireInitialised()
        guard !agencies.isEmpty else { return nil }
        let events = try agencies.map { PendingEvent(type: EventType.agencyRegistered.rawValue, data: try PayloadCoding.encode($0)) }
        let r = try withWriter { try $0.append(events) }
        _ = try readModel.openCaughtUp()
        return r.firstSequence
    }

    /// The registered agencies, by id.
    public func agencies() throws -> [Agency] {
        try requireInitialised()
        let (db, _) = try readModel.openCaughtUp()
        return try Store.agencies(db)
    }

    static func agencies(_ db: Database) throws -> [Agency] {
        try db.rows("SELECT definition FROM agencies ORDER BY id").map { row in
            guard case .text(let json) = row[0] else { throw StoreError(.readModel, "agency without a definition") }
            return try JSONDecoder().decode(Agency.self, from: Data(json.utf8))
        }
    }

    /// The catalogue as the log defines it (not as this build's defaults do).
    public func catalogue() throws -> (indicators: IndicatorCatalogue, regions: RegionCatalogue) {
        try requireInitialised()
        let (db, _) = try readModel.openCaughtUp()
        return try Store.catalogue(db)
    }

    static func catalogue(_ db: Database) throws -> (indicators: IndicatorCatalogue, regions: RegionCatalogue) {
        let decoder = JSONDecoder()
        let indicators = try db.rows("SELECT definition FROM indicators ORDER BY code").map { row -> IndicatorDefinition in
            guard case .text(let json) = row[0] else { throw StoreError(.readModel, "indicator without a definition") }
            return try decoder.decode(IndicatorDefinition.self, from: Data(json.utf8))
        }
        let regions = try db.rows("SELECT definition FROM regions ORDER BY seq").map { row -> Region in
            guard case .text(let json) = row[0] else { throw StoreError(.readModel, "region without a definition") }
            return try decoder.decode(Region.self, from: Data(json.utf8))
        }
        return (IndicatorCatalogue(indicators: indicators), RegionCatalogue(regions: regions))
    }
}
