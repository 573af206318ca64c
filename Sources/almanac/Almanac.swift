import ArgumentParser
import Foundation

/// The `almanac` command: every subcommand takes `--store DIR`.
///
/// Exit status: 0 on success, 1 when the work failed (a rejected file, a query error,
/// corruption found), 2 on a usage error. Errors are one line on standard error.
@main
struct Almanac {
    static func main() {
        do {
            var command = try AlmanacCommand.parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            printError(failure.message)
            exit(failure.status)
        } catch let code as ExitCode {
            // The command has already said what went wrong.
            exit(code.rawValue)
        } catch {
            let code = AlmanacCommand.exitCode(for: error)
            if code == .success {
                // --help, --version
                print(AlmanacCommand.fullMessage(for: error))
                exit(0)
            }
            if code == .validationFailure {
                printError(AlmanacCommand.message(for: error) + " (see 'almanac --help')")
                exit(2)
            }
            // Store, log, SQLite and ingest errors describe themselves in one line.
            printError(String(describing: error))
            exit(1)
        }
    }

    static func printError(_ message: String) {
        let line = message.split(separator: "\n", omittingEmptySubsequences: true).joined(separator: " ")
        FileHandle.standardError.write(Data("almanac: \(line)\n".utf8))
    }
}

struct AlmanacCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "almanac",
        abstract: "An event-sourced data warehouse for economic indicators.",
        version: "0.1.0",
        subcommands: [InitCommand.self, AgencyCommand.self, IngestCommand.self, DaemonCommand.self, GenerateCommand.self, QueryCommand.self, ReplCommand.self, StatusCommand.self,
                      VerifyCommand.self, RebuildCommand.self, CatalogueCommand.self, LogCommand.self, ExportCommand.self]
    )
}

/// A failure of the work itself (exit status 1), with a one-line message.
struct CommandFailure: Error {
    var message: String
    var status: Int32 = 1
}
