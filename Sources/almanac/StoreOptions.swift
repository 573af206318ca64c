import AlmanacStore
import ArgumentParser
import Foundation

/// `--store DIR`, shared by every subcommand: `$ALMANAC_STORE`, else `./almanac-data`.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory (default: $ALMANAC_STORE, else ./almanac-data).", valueName: "dir"))
    var store: String?

    var path: String {
        store ?? ProcessInfo.processInfo.environment["ALMANAC_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "./almanac-data"
    }

    /// The store at `path`.
    func open() -> Store { Store(path: path) }

    /// The event log inside the store.
    var logPath: String { path + "/log" }
}
