import AlmanacQuery
import AlmanacSQLite
import AlmanacStore
import ArgumentParser
import Foundation

/// `almanac repl`: queries one after another, with history and multi-line input.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Ask queries interactively (.help for commands).",
        discussion: """
            A query may span lines: a line ending in '|' or a next line starting with '|' continues it;
            an empty line runs what was typed. History is kept in ~/.almanac_history.
            """)
    @OptionGroup var options: StoreOptions

    func run() throws {
        let session = try QuerySession(store: options.open())
        var format = OutputFormat.table
        var explain = false
        let historyPath = (ProcessInfo.processInfo.environment["HOME"] ?? ".") + "/.almanac_history"
        let interactive = isatty(STDIN_FILENO) != 0
        var pending: [String] = []
        func prompt() {
            if interactive { FileHandle.standardOutput.write(Data((pending.isEmpty ? "almanac> " : "      |> ").utf8)) }
        }
        func submit() {
            let text = pending.joined(separator: "\n")
            pending.removeAll()
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
            if let h = FileHandle(forWritingAtPath: historyPath) ?? {
                FileManager.default.createFile(atPath: historyPath, contents: nil)
                return FileHandle(forWritingAtPath: historyPath)
            }() {
                h.seekToEndOfFile()
                h.write(Data((text.replacingOccurrences(of: "\n", with: " ") + "\n").utf8))
                try? h.close()
            }
            do { try session.runPrinting(text, format: format, explain: explain, limits: QueryLimits()) } catch let e as CommandFailure {
                FileHandle.standardError.write(Data("error: \(e.message)\n".utf8))
            } catch is ExitCode {
                // already printed with its caret
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            }
        }
        prompt()
        while let line = readLine() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty && trimmed.hasPrefix(".") {
                let parts = trimmed.split(separator: " ")
                switch parts.first {
                case ".help":
                    print("""
                        .help              this text
                        .format table|csv|json   output format (now \(format.rawValue))
                        .explain on|off    show the SQL instead of running (now \(explain ? "on" : "off"))
                        .history           the last 20 queries
                        .quit              leave (or Ctrl-D)
                        A query may span lines; an empty line, or a line that does not end with '|', runs it.
                        """)
                case ".format":
                    if parts.count == 2, let f = OutputFormat(rawValue: String(parts[1])) { format = f } else { print("usage: .format table|csv|json") }
                case ".explain":
                    explain = parts.count < 2 || parts[1] == "on"
                case ".history":
                    let text = (try? String(contentsOfFile: historyPath, encoding: .utf8)) ?? ""
                    for h in text.split(separator: "\n").suffix(20) { print(h) }
                case ".quit", ".exit":
                    return
                default:
                    print("unknown command \(parts.first ?? ""); .help lists them")
                }
                prompt()
                continue
            }
            if trimmed.isEmpty {
                submit()
            } else {
                let continues = trimmed.hasPrefix("|") || pending.last?.trimmingCharacters(in: .whitespaces).hasSuffix("|") == true
                if !continues { submit() }
                pending.append(line)
                // At a terminal we cannot look ahead: a line not ending in '|' runs.
                if interactive && !trimmed.hasSuffix("|") { submit() }
            }
            prompt()
        }
        submit()
    }
}
