import AlmanacStore
import ArgumentParser

/// `almanac init`: create a store and write the reference data (catalogue, regions) as events.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a store and write the indicator catalogue and the regions into its log.",
        discussion: "Running it on an initialised store changes nothing.")
    @OptionGroup var options: StoreOptions

    func run() throws {
        let store = options.open()
        let r = try store.initialize()
        if r.created {
            print("initialised \(options.path): \(r.indicators) indicators and \(r.regions) regions defined (log sequence 1...\(r.sequence))")
        } else {
            print("\(options.path) is already initialised (log head \(r.sequence)); nothing changed")
        }
    }
}
