/// The formats Almanac reads agency files in.
public enum SourceFormat: String, Sendable, CaseIterable {
    case nativeCSV = "native-csv"
    case sdmxCSV1 = "sdmx-csv-1"
    case sdmxCSV2 = "sdmx-csv-2"
    case pxWeb = "px-web"
    case sdmxJSON = "sdmx-json"
}

/// The party an SDMX message says sent it (`meta.sender`), for agency checks: a file
/// whose sender names another agency must be caught (TESTING.md #17).
public struct SDMXParty: Sendable, Equatable {
    public var id: String
    public var name: String?

    public init(id: String, name: String?) {
        self.id = id
        self.name = name
    }
}

/// A stream of raw observations from one agency file.
///
/// Readers are single-consumer and not thread-safe. `next()` returns `nil` at the end;
/// after an error the reader is finished. Rows that a reader deliberately does not turn
/// into observations (blank rows, subtotals a mapping says to skip, rows no mapping rule
/// matches when told to skip them) are counted in `skippedRecordCount`.
public protocol ObservationReader: AnyObject {
    var format: SourceFormat { get }
    var fileName: String { get }
    /// Dataflows named in the file so far (SDMX); empty for other formats.
    var dataflows: Set<String> { get }
    /// The message's declared sender (SDMX-JSON), if any.
    var sender: SDMXParty? { get }
    var skippedRecordCount: Int { get }

    func next() throws(IngestError) -> SourceObservation?
}

extension ObservationReader {
    public var dataflows: Set<String> { [] }
    public var sender: SDMXParty? { nil }
}
