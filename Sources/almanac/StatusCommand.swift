import AlmanacDaemon
import AlmanacStore
import ArgumentParser
import Foundation

/// `almanac status`: log head, read-model checkpoint and lag, row counts, sizes.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the log head, each read model's checkpoint and lag, row counts and sizes.")
    @OptionGroup var options: StoreOptions
    @Flag(help: "One JSON object instead of text.") var json = false

    func run() throws {
        let s = try options.open().status()
        let daemon = DaemonStatus.load(storePath: options.path)
        if json {
            let counts = s.rowCounts.map { "\"\($0.table)\":\($0.rows)" }.joined(separator: ",")
            var daemonJSON = "null"
            if let daemon {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                daemonJSON = String(decoding: try e.encode(daemon), as: UTF8.self)
            }
            print("{\"log_head\":\(s.logHead),\"segments\":\(s.segments),\"log_bytes\":\(s.logBytes),\"read_model_generation\":\(s.readModelGeneration.map(String.init) ?? "null"),\"checkpoint\":\(s.checkpoint),\"lag\":\(s.lag),\"rows\":{\(counts)},\"store_bytes\":\(s.storeBytes),\"submissions_accepted\":\(s.submissions.accepted),\"submissions_rejected\":\(s.submissions.rejected),\"daemon\":\(daemonJSON)}")
            return
        }
        print("store        \(options.path) (\(s.storeBytes) bytes)")
        print("log          head \(s.logHead), \(s.segments) segment\(s.segments == 1 ? "" : "s"), \(s.logBytes) bytes")
        print("read model   generation \(s.readModelGeneration.map(String.init) ?? "none"), checkpoint \(s.checkpoint), lag \(s.lag) event\(s.lag == 1 ? "" : "s")")
        print("submissions  \(s.submissions.accepted) accepted, \(s.submissions.rejected) rejected")
        if let d = daemon {
            let state = d.state == "running" && !d.isRunning ? "not running (pid \(d.pid) gone without stopping; restart it)" : "\(d.state) (pid \(d.pid))"
            print("daemon       \(state), inbox \(d.inbox), watching by \(d.watching), updated \(d.updatedAt ?? "?")")
            print("  files      \(d.files.accepted) accepted, \(d.files.duplicate) duplicate, \(d.files.rejected) rejected, \(d.files.failed) failed; \(d.pending) waiting (lag \(String(format: "%.1f", d.lagSeconds)) s)")
            if let last = d.lastFile { print("  last file  \(last.agency)/\(last.name): \(last.outcome) at \(last.at)") }
            if let error = d.lastError { print("  last error \(error.at): \(error.message)") }
            for e in d.exports {
                print("  export     \(e.name): last \(e.lastRun ?? "never") \(e.outcome ?? ""), next \(e.next ?? "?")")
            }
        }
        printTable(header: ["table", "rows"], rows: s.rowCounts.map { [$0.table, String($0.rows)] }, rightAligned: [1])
    }
}

/// `almanac verify`: the log's checks plus each read model against a fresh rebuild.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the log and compare every read model with a fresh rebuild from the log.",
        discussion: "Exit status 1 on any difference, naming it.")
    @OptionGroup var options: StoreOptions

    func run() throws {
        let r = try options.open().verify(progress: ProgressReporter(label: "verify"))
        if let p = r.log.problem { throw CommandFailure(message: "log damaged: \(p)") }
        print("log ok: \(r.log.batches) batches, \(r.log.events) events")
        guard r.integrity == ["ok"] else { throw CommandFailure(message: "read model integrity_check: \(r.integrity.joined(separator: "; "))") }
        print("read model integrity_check: ok")
        guard r.differingTables.isEmpty else {
            throw CommandFailure(message: "read model differs from a rebuild of the log in: \(r.differingTables.joined(separator: ", ")) (run `almanac rebuild`)")
        }
        print("read model digest \(r.liveDigest ?? "?") equals a fresh rebuild's")
    }
}

/// `almanac rebuild`: replay the log into a new read model and swap it in atomically.
struct RebuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rebuild", abstract: "Rebuild the read models from the log beside the live ones, then swap them in atomically.")
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = options.open()
        let start = Date()
        let r = try store.readModel.rebuild(progress: ProgressReporter(label: "rebuild"))
        let seconds = Date().timeIntervalSince(start)
        print("rebuilt read model generation \(r.generation) from \(r.events) events in \(String(format: "%.1f", seconds)) s (\(Int(Double(r.events) / max(seconds, 0.001))) events/s)")
    }
}

/// `almanac catalogue [add FILE]`: the indicators and regions the log defines.
struct CatalogueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue", abstract: "List the indicators (and with --regions the regions) the log defines.",
        subcommands: [List.self, Add.self], defaultSubcommand: List.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Define new indicators or regions from a JSON file (see docs/catalogue.md); no code change needed.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "A JSON file {\"indicators\": [...], \"regions\": [...]}.") var file: String

        func run() throws {
            let r = try options.open().define(fromFile: file)
            print("\(file): \(r.indicators) indicator\(r.indicators == 1 ? "" : "s") and \(r.regions) region\(r.regions == 1 ? "" : "s") defined")
        }
    }

    struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the indicators (and with --regions the regions) the log defines.")
    @OptionGroup var options: StoreOptions
    @Flag(help: "List the regions instead.") var regions = false
    @Flag(help: "Print the definitions as JSON (the format `catalogue add` reads).") var json = false

    func run() throws {
        let (indicators, regionCatalogue) = try options.open().catalogue()
        if json {
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try e.encode(CatalogueFile(indicators: regions ? nil : indicators.indicators,
                                                             regions: regions ? regionCatalogue.regions : nil)), as: UTF8.self))
            return
        }
        if regions {
            printTable(header: ["code", "name", "level", "parent", "valid from", "valid to", "successor"], rows: regionCatalogue.regions.map {
                [$0.code, $0.name, $0.level.rawValue, $0.parentCode ?? "", $0.validFrom?.description ?? "", $0.validTo?.description ?? "", $0.successorCode ?? ""]
            })
            return
        }
        printTable(header: ["indicator", "family", "unit", "rule", "dimensions", "name"], rows: indicators.indicators.map { i in
            [i.code, i.family, i.unit, i.aggregation.rawValue,
             i.dimensions.map { d in "\(d.name)(\(d.values.map(\.code).joined(separator: "|")))" }.joined(separator: " "), i.name]
        })
    }
    }
}
