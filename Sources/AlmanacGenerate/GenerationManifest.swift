import AlmanacDomain

/// `manifest.json`: what was generated, the agencies to register, and the files in the
/// order they must be ingested (by release date, then file name).
///
/// Encoded with sorted keys and no escaped slashes, so the same options give the same bytes.
/// A demo registers each agency (`almanac agency add ID --name … --families … --regions …`,
/// regions omitted for `"all"`) and then ingests `files` in order with `--agency`.
public struct GenerationManifest: Sendable, Hashable, Codable {
    /// An agency and what it may submit.
    public struct AgencyEntry: Sendable, Hashable, Codable {
        public let id: String
        /// The Vietnamese name.
        public let name: String
        /// Indicator families, sorted.
        public let families: [String]
        /// Region codes, sorted, or `"all"`.
        public let regions: RegionScope

        /// The agency to register.
        ///
        /// - Throws: the domain's error when the entry is not a valid agency (an edited manifest).
        public func agency() throws -> Agency {
            let codes: Set<String>?
            switch regions {
            case .all: codes = nil
            case .only(let list): codes = Set(list)
            }
            return try Agency(id: id, name: name, families: Set(families), regions: codes)
        }
    }

    /// The regions an agency may report for: all of them, or a list of codes.
    public enum RegionScope: Sendable, Hashable, Codable {
        case all
        case only([String])

        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), text == "all" { self = .all } else {
                self = .only(try container.decode([String].self))
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .all: try container.encode("all")
            case .only(let codes): try container.encode(codes)
            }
        }
    }

    /// One generated file.
    public struct FileEntry: Sendable, Hashable, Codable {
        /// Relative to the output directory: `<agency>/<YYYY-MM-DD>-<slug>.csv`.
        public let path: String
        public let agency: String
        /// `YYYY-MM-DD`.
        public let releaseDate: String
        /// `release` or `revision`.
        public let kind: ReleaseKind
        /// Data rows, header excluded.
        public let rows: Int

        enum CodingKeys: String, CodingKey {
            case path, agency, releaseDate = "release_date", kind, rows
        }
    }

    /// The options the files were generated with.
    public let options: GeneratorOptions
    public let agencies: [AgencyEntry]
    /// In ingestion order.
    public let files: [FileEntry]
    /// The sum of `rows`.
    public let observations: Int

    /// The manifest's file name in the output directory.
    public static let fileName = "manifest.json"

    init(options: GeneratorOptions, agencies: [Agency], files: [FileEntry]) {
        self.options = options
        self.agencies = agencies.map {
            AgencyEntry(id: $0.id, name: $0.name, families: ($0.families ?? []).sorted(),
                        regions: $0.regions.map { .only($0.sorted()) } ?? .all)
        }
        self.files = files
        observations = files.reduce(0) { $0 + $1.rows }
    }
}
