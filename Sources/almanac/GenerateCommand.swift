import AlmanacDomain
import AlmanacGenerate
import AlmanacStore
import ArgumentParser
import Foundation

/// `almanac generate`: realistic agency files (and, with --load, a store built from them).
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic agency files: CPI, budget, GRDP and FDI for every province, preliminary then revised.",
        discussion: """
            The files go to DIR/<agency>/<release date>-<name>.csv with DIR/manifest.json listing the agencies
            and the files in the order they must be ingested. Deterministic by --seed. With --load, the store
            is initialised if needed, the agencies registered and every file ingested in order.
            """)
    @OptionGroup var options: StoreOptions
    @Option(help: "Where to write the files.") var out: String
    @Option(help: "First year.") var from: Int = 2015
    @Option(help: "Last year.") var to: Int = 2025
    @Option(help: "Random seed: the same seed gives the same bytes.") var seed: UInt64 = 1
    @Option(help: "Multiply the data (extra revision rounds) for benchmarks.") var scale: Int = 1
    @Option(help: "csv (native) or sdmx-csv.") var format: String = "csv"
    @Flag(help: "Also register the agencies and ingest every file into the store, in release order.") var load = false
    @Flag(help: "Only register the manifest's agencies in the store (initialised if needed), e.g. before dropping the files into a daemon's inbox.")
    var register = false

    func validate() throws {
        guard let f = GeneratorOptions.Format(rawValue: format) else { throw ValidationError("unknown format '\(format)' (csv or sdmx-csv)") }
        let o = GeneratorOptions(from: from, to: to, seed: seed, scale: scale, format: f)
        if let problem = o.problem() { throw ValidationError(problem) }
    }

    func run() throws {
        let o = GeneratorOptions(from: from, to: to, seed: seed, scale: scale, format: GeneratorOptions.Format(rawValue: format)!)
        let outURL = URL(fileURLWithPath: out)
        let summary: GenerationSummary
        do { summary = try Generator(o).write(to: outURL) } catch { throw CommandFailure(message: "\(error)") }
        print("wrote \(summary.filesWritten) files, \(summary.observations) observations (\(summary.bytesWritten) bytes) from \(summary.publishing.count) agencies (\(GenerateCommand.abbreviated(summary.publishing))) to \(out)")
        if register && !load {
            let ids = try GenerateCommand.register(manifest: summary.manifest, into: options.open())
            print("registered \(ids.count) agencies in \(options.path)")
        }
        guard load else { return }
        try GenerateCommand.load(manifest: summary.manifest, into: options.open())
    }

    /// `a, b, c, … and 12 more` for long lists of ids.
    static func abbreviated(_ ids: [String], keep: Int = 6) -> String {
        ids.count <= keep + 1 ? ids.joined(separator: ", ")
            : ids.prefix(keep).joined(separator: ", ") + ", … and \(ids.count - keep) more"
    }

    /// Initialises the store if needed and registers the manifest's agencies (already registered ones are kept).
    @discardableResult
    static func register(manifest url: URL, into store: Store) throws -> [String] {
        let manifest = try JSONDecoder().decode(GenerationManifest.self, from: Data(contentsOf: url))
        if !store.isInitialised { try store.initialize() }
        let known = Set(try store.agencies().map(\.id))
        try store.registerAgencies(try manifest.agencies.filter { !known.contains($0.id) }.map { try $0.agency() })
        return manifest.agencies.map(\.id)
    }

    /// Registers the manifest's agencies and ingests its files in order.
    static func load(manifest url: URL, into store: Store) throws {
        let manifest = try JSONDecoder().decode(GenerationManifest.self, from: Data(contentsOf: url))
        try register(manifest: url, into: store)
        let base = url.deletingLastPathComponent()
        var totals = IngestOutcome.Counts()
        var rejected = 0, duplicates = 0
        let progress = ProgressReporter(label: "ingest")
        for (i, f) in manifest.files.enumerated() {
            let outcome = try store.ingest(IngestRequest(path: base.appendingPathComponent(f.path).path, agency: f.agency))
            switch outcome {
            case .accepted(_, let c, _, _):
                totals.rows += c.rows; totals.reported += c.reported; totals.revised += c.revised
                totals.unchanged += c.unchanged; totals.retracted += c.retracted
            case .duplicate: duplicates += 1
            case .rejected(_, let issues, _, let q, let name, _):
                rejected += 1
                FileHandle.standardError.write(Data("\(name): rejected (\(issues.first?.description ?? "")); see \(q)\n".utf8))
            }
            progress.report(done: i + 1, total: manifest.files.count, unit: "files")
        }
        progress.finish()
        print("ingested \(manifest.files.count) files: \(totals.rows) rows, \(totals.reported) reported, \(totals.revised) revised, \(totals.unchanged) unchanged; \(duplicates) duplicates, \(rejected) rejected")
        if rejected > 0 { throw ExitCode(1) }
    }
}
