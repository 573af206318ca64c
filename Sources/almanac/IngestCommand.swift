import AlmanacIngest
import AlmanacStore
import ArgumentParser
import Foundation

/// `almanac ingest FILE… --agency ID`: each file accepted, a duplicate, or rejected.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest agency files: validate every row, record what changed as events.",
        discussion: """
            Exit status 0 when every file was accepted or a duplicate, 1 when any was rejected.
            Rejected files are kept in the store's quarantine with errors.json and errors.txt.
            """)
    @OptionGroup var options: StoreOptions
    @Argument(help: "The files to ingest.") var files: [String]
    @Option(help: "The submitting agency's id.") var agency: String
    @Option(help: "The file format (default: detected from content): native-csv, sdmx-csv-1, sdmx-csv-2, px-web, sdmx-json.")
    var format: String?
    @Option(help: "A mapping file for PX-Web or SDMX files (see docs/formats/px-web-mapping.md).") var mapping: String?
    @Option(help: "An Ed25519 signature over the file's SHA-256 (required when the agency has a key).") var signature: String?
    @Flag(name: .customLong("accept-valid-rows"), help: "Accept the valid rows and quarantine the file with the rest's errors.")
    var acceptValidRows = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to ingest") }
        if let format, parsedFormat(format) == nil {
            throw ValidationError("unknown format '\(format)' (one of: \(SourceFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    func parsedFormat(_ text: String) -> SourceFormat? {
        SourceFormat(rawValue: text) ?? SourceFormat.allCases.first { $0.rawValue.replacingOccurrences(of: "_", with: "-") == text.lowercased() }
    }

    func run() throws {
        let store = options.open()
        var anyRejected = false
        for file in files {
            let request = IngestRequest(path: file, agency: agency, format: format.flatMap(parsedFormat), mappingPath: mapping,
                                        signaturePath: signature, acceptValidRows: acceptValidRows)
            switch try store.ingest(request) {
            case .accepted(let submission, let c, let name, _):
                print("\(name): accepted as submission \(submission): \(c.reported) reported, \(c.revised) revised, \(c.unchanged) unchanged, \(c.retracted) retracted (\(c.rows) rows)"
                      + (c.rejectedRows > 0 ? ", \(c.rejectedRows) rows rejected" : ""))
            case .duplicate(let of, let name, _):
                print("\(name): duplicate of submission \(of); nothing changed")
            case .rejected(_, let issues, let count, let quarantine, let name, _):
                anyRejected = true
                print("\(name): rejected with \(count) problem\(count == 1 ? "" : "s"); the file and its report are in \(quarantine)")
                for issue in issues.prefix(5) { print("  \(issue)") }
                if count > 5 { print("  … \(count - 5) more in \(quarantine)/errors.txt") }
            }
        }
        if anyRejected { throw ExitCode(1) }
    }
}
