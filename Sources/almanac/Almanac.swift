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
        } catch {
            let code = AlmanacCommand.exitCode(for: error)
            if code == .success {
                // --help, --version
                print(AlmanacCommand.fullMessage(for: error))
                exit(0)
            }
            if code == .validationFailure || error is ValidationError || "\(type(of: error))".contains("CommandError") {
                printError(AlmanacCommand.message(for: error))
                FileHandle.standardError.write(Data("Run 'almanac --help' for usage.\n".utf8))
                exit(2)
            }
            if code.rawValue != 1 && code.rawValue != 0 && error is ExitCode { exit(code.rawValue) }
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
        subcommands: [LogCommand.self]
    )
}

/// A failure of the work itself (exit status 1), with a one-line message.
struct CommandFailure: Error {
    var message: String
    var status: Int32 = 1
}
