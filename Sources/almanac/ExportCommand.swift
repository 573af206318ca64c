import AlmanacStore
import ArgumentParser
import Foundation

/// `almanac export --format F --out DIR [--as-of DATE] [--query Q]`: a snapshot directory
/// with the data files and `manifest.json` (see docs/exports.md).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a snapshot of the read model (csv, jsonl, sqlite or sdmx-csv) with a manifest.",
        discussion: """
            The snapshot is written under a temporary name beside DIR and renamed into place when complete, so DIR is either absent or whole. DIR must not exist. See docs/exports.md.

            Examples:
              almanac export --format csv --out snapshots/2021-07-12
              almanac export --format sdmx-csv --as-of 2021-07-12 --out snapshots/known-2021-07-12
              almanac export --format jsonl --query 'from gdp.grdp_growth | during 2021' --out snapshots/growth

            Exit status 1 when the export failed (an existing DIR, a query error), 2 on a usage error.
            """)
    @OptionGroup var options: StoreOptions
    @Option(help: "csv, jsonl, sqlite or sdmx-csv.") var format: String
    @Option(help: ArgumentHelp("The snapshot directory to create (must not exist).", valueName: "dir")) var out: String
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Values as known at the end of that day (2021-07-12) or at a UTC time (2021-07-12T08:30:00Z).", valueName: "date"))
    var asOf: String?
    @Option(help: ArgumentHelp("Export this query's result instead of every observation.", valueName: "q")) var query: String?
    @Flag(help: "Print the manifest (JSON) instead of a summary.") var json = false

    func validate() throws {
        do {
            _ = try ExportRequest.Format(parsing: format)
            if let asOf { _ = try ExportAsOf(parsing: asOf) }
        } catch {
            throw ValidationError(error.message)
        }
        if out.isEmpty { throw ValidationError("--out needs a directory") }
    }

    func run() throws {
        let request = ExportRequest(format: try ExportRequest.Format(parsing: format), outputDirectory: out, asOf: asOf, query: query)
        let report: ExportReport
        do {
            report = try options.open().export(request)
        } catch let error as ExportError {
            if let rendered = error.rendered {
                FileHandle.standardError.write(Data((rendered + "\n").utf8))
                throw ExitCode(1)
            }
            throw CommandFailure(message: error.message)
        }
        if json {
            let data = try Data(contentsOf: URL(fileURLWithPath: report.directory + "/" + ExportManifest.fileName))
            FileHandle.standardOutput.write(data)
            return
        }
        for warning in report.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let what = report.asOf.map { "as known at \($0)" } ?? "latest"
        print("exported \(report.rows) row\(report.rows == 1 ? "" : "s") (\(report.format.rawValue), \(what), log position \(report.logPosition)) to \(report.directory)")
        for file in report.files {
            print("  \(file.name)  \(file.rows) rows  \(file.bytes) bytes  sha256 \(file.sha256)")
        }
    }
}
