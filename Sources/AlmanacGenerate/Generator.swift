import AlmanacDomain
import Foundation

/// Writes realistic agency files for demos, tests and benchmarks: deterministic by seed.
///
/// Agencies publish on a fixed calendar (see ``ReleaseSchedule``): the national statistics
/// office `gso` (monthly CPI and FDI, quarterly GRDP, for all provinces), the ministry of
/// finance `mof` (monthly budget execution, annual plans) and the provincial statistics
/// offices of the Northern Midlands and Mountains (`pso-CC`: their own first-half GRDP and
/// CPI; Thái Nguyên's `pso-19` also its nine-month report and an October restatement).
/// Every province also has a department of finance `dof-CC` and one of planning and
/// investment `dpi-CC` registered, each scoped to the province and its 2025 successor.
/// GRDP and budget figures come first as `preliminary`; a quarter later a revision
/// file restates them with `revised` values for a subset of provinces and repeats the rest.
/// Regions are those valid for each period: the 63 provinces to June 2025, the 34 units after.
///
/// Output layout:
/// ```
/// <out>/manifest.json                       see GenerationManifest
/// <out>/<agency-id>/<YYYY-MM-DD>-<slug>.csv one file per release
/// ```
///
/// ## Scale
/// `scale = K` adds, to every `gso` and `mof` release, K − 1 *re-estimate rounds*: revision
/// files of the same date (`<name>.r001.csv` …, sorting right after the release) restating
/// every row. Odd rounds raise each non-zero value by one unit in its last decimal place
/// (`status=revised`), even rounds restore it, so every row of a round is a real revision
/// and the data stay plausible. Rows of Thái Nguyên (`19`, `19N`) are repeated unchanged,
/// so the story of DESIGN.md §1 holds at any scale. Rows grow linearly (about 170 thousand
/// per round for 2015–2025); every row stays valid against the standard catalogues, which
/// extra regions or invented breakdown values would not.
public struct Generator: Sendable {
    /// The options.
    public let options: GeneratorOptions
    let model: EconomyModel

    /// Prepares the synthetic economy for `options` (a fraction of a second).
    ///
    /// - Throws: ``GeneratorError`` when the options are out of range.
    public init(_ options: GeneratorOptions) throws(GeneratorError) {
        if let problem = options.problem() { throw GeneratorError(message: problem) }
        self.options = options
        model = EconomyModel(options: options)
    }

    /// The agencies that publish, with their scopes.
    public static var agencies: [Agency] { ReleaseSchedule.agencies }

    /// Every release, in ingestion order (release date, then file name); rows are computed
    /// only when asked for.
    public func releases() -> [Release] {
        ReleaseSchedule.releases(options: options, model: model)
    }

    /// Writes every release and `manifest.json` under `directory` (created if missing;
    /// files of the same names are replaced).
    ///
    /// - Returns: the counts of what was written.
    /// - Throws: ``GeneratorError`` naming the file that could not be written.
    @discardableResult
    public func write(to directory: URL) throws(GeneratorError) -> GenerationSummary {
        var entries: [GenerationManifest.FileEntry] = []
        var bytes = 0
        let releases = releases()
        for agency in Set(releases.map(\.agencyID)).sorted() {
            try createDirectory(directory.appendingPathComponent(agency))
        }
        for release in releases {
            let encoder = RowEncoder(format: options.format, dimensionNames: release.dimensionNames)
            var text = encoder.header()
            var rows = 0
            release.forEachRow {
                text += encoder.line(for: $0)
                rows += 1
            }
            let data = Data(text.utf8)
            try save(data, to: directory.appendingPathComponent(release.path))
            bytes += data.count
            entries.append(.init(path: release.path, agency: release.agencyID,
                                 releaseDate: release.releaseDate.description, kind: release.kind, rows: rows))
        }
        let manifest = GenerationManifest(options: options, agencies: Generator.agencies, files: entries)
        let json = JSONEncoder()
        json.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let manifestURL = directory.appendingPathComponent(GenerationManifest.fileName)
        do {
            try save(try json.encode(manifest) + Data("\n".utf8), to: manifestURL)
        } catch let error as GeneratorError {
            throw error
        } catch {
            throw GeneratorError(path: manifestURL.path, message: "cannot encode the manifest: \(error)")
        }
        return GenerationSummary(filesWritten: entries.count, observations: manifest.observations,
                                 agencies: Generator.agencies.map(\.id),
                                 publishing: Set(entries.map(\.agency)).sorted(), bytesWritten: bytes, manifest: manifestURL)
    }

    private func createDirectory(_ url: URL) throws(GeneratorError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw GeneratorError(path: url.path, message: "cannot create the directory: \(error.localizedDescription)")
        }
    }

    private func save(_ data: Data, to url: URL) throws(GeneratorError) {
        do {
            try data.write(to: url)
        } catch {
            throw GeneratorError(path: url.path, message: "cannot write the file: \(error.localizedDescription)")
        }
    }
}

/// What ``Generator/write(to:)`` wrote.
public struct GenerationSummary: Sendable, Hashable {
    /// Agency files written (the manifest not included).
    public let filesWritten: Int
    /// Data rows in all files.
    public let observations: Int
    /// The agency ids, in manifest order (every agency of the world, whether it published or not).
    public let agencies: [String]
    /// The ids of the agencies that published at least one of the files, sorted.
    public let publishing: [String]
    /// Bytes of the agency files.
    public let bytesWritten: Int
    /// Where the manifest is.
    public let manifest: URL
}
