import AlmanacDomain

/// Whether a file brings new figures or restates earlier ones.
public enum ReleaseKind: String, Sendable, Hashable, Codable {
    /// First publication of its figures (`status` preliminary or final).
    case release
    /// A restatement: changed rows carry `status=revised`; unchanged rows may be repeated
    /// with their earlier value and status, and Almanac records nothing for them.
    case revision
}

/// One file an agency publishes: who, when, its name, and its rows.
///
/// Rows are computed on demand from the shared, immutable economy model, so a list of
/// releases costs nothing until rows are asked for, and a benchmark can stream millions of
/// rows without holding them or touching the disk (``forEachRow(_:)``).
public struct Release: Sendable {
    /// The agency id (`gso`, `mof`, `pso-19`).
    public let agencyID: String
    /// The agency's release date, also written in every row's `release_date`.
    public let releaseDate: CalendarDate
    /// `<YYYY-MM-DD>-<slug>.csv`.
    public let fileName: String
    /// Release or revision.
    public let kind: ReleaseKind
    /// The file format its text is written in.
    public let format: GeneratorOptions.Format
    let content: ReleaseContent
    let model: EconomyModel

    /// `<agency-id>/<file name>`, the path below the output directory.
    public var path: String { "\(agencyID)/\(fileName)" }

    /// The breakdown dimension columns of the file, in the order they are written.
    public var dimensionNames: [String] { content.dimensionNames }

    /// Calls `body` with every row, in file order, without collecting them.
    public func forEachRow(_ body: (GeneratedRow) throws -> Void) rethrows {
        try model.forEachRow(of: content, releasedOn: releaseDate, body)
    }

    /// Every row, in file order (computed on each call).
    public var rows: [GeneratedRow] {
        var out: [GeneratedRow] = []
        forEachRow { out.append($0) }
        return out
    }

    /// The number of rows (computed on each call by generating them).
    public var rowCount: Int {
        var n = 0
        forEachRow { _ in n += 1 }
        return n
    }

    /// The file's text in ``format``, header included.
    public func encoded() -> String {
        let encoder = RowEncoder(format: format, dimensionNames: dimensionNames)
        var text = encoder.header()
        forEachRow { text += encoder.line(for: $0) }
        return text
    }

    /// Orders releases for ingestion: by release date, then file name, then agency.
    static func ingestOrder(_ a: Release, _ b: Release) -> Bool {
        (a.releaseDate, a.fileName, a.agencyID) < (b.releaseDate, b.fileName, b.agencyID)
    }
}
