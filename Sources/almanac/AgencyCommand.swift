import AlmanacDomain
import AlmanacStore
import ArgumentParser
import Foundation

/// `almanac agency add|list`: who may submit what.
struct AgencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency",
        abstract: "Register agencies and the indicator families and regions each may submit.",
        subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an agency, or replace its name, scope and key.",
            discussion: """
                Example: almanac agency add pso-19 --name "Cục Thống kê tỉnh Thái Nguyên" --families gdp,cpi --regions 19,19N
                An agency with a public key must sign every file it submits (ingest --signature).
                """)
        @OptionGroup var options: StoreOptions
        @Argument(help: "The agency's id: letters, digits, '-' and '_' (it names the agency's inbox folder).") var id: String
        @Option(help: "The agency's name.") var name: String
        @Option(help: "Indicator families it may submit, comma-separated, or 'all'.") var families: String = "all"
        @Option(help: "Region codes it may submit for, comma-separated, or 'all'.") var regions: String = "all"
        @Option(name: .customLong("public-key"), help: "A file holding its Ed25519 public key (32 raw bytes, base64 or hex).")
        var publicKey: String?

        func run() throws {
            let store = options.open()
            func list(_ text: String) -> Set<String>? {
                text.lowercased() == "all" ? nil : Set(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
            }
            var key: Data?
            if let publicKey {
                guard let raw = FileManager.default.contents(atPath: publicKey) else {
                    throw CommandFailure(message: "cannot read the public key file \(publicKey)")
                }
                key = Store.decodeKeyMaterial(raw, byteCount: Agency.publicKeyBytes)
                guard key != nil else { throw CommandFailure(message: "\(publicKey): not a 32-byte Ed25519 public key (raw, base64 or hex)") }
            }
            let (indicators, regionCatalogue) = try store.catalogue()
            let fams = list(families)
            for f in fams ?? [] where !indicators.families.contains(f) {
                let hint = DidYouMean.suggestions(for: f, among: indicators.families).first.map { "; did you mean \($0)?" } ?? ""
                throw CommandFailure(message: "unknown indicator family \"\(f)\"\(hint) (families: \(indicators.families.joined(separator: ", ")))")
            }
            let regs = list(regions)
            for r in regs ?? [] where regionCatalogue.region(code: r) == nil {
                let hint = regionCatalogue.suggestions(for: r).first.map { "; did you mean \($0.code) (\($0.name))?" } ?? ""
                throw CommandFailure(message: "unknown region code \"\(r)\"\(hint)")
            }
            let agency: Agency
            do { agency = try Agency(id: id, name: name, families: fams, regions: regs, publicKey: key) } catch {
                throw CommandFailure(message: "\(error)")
            }
            let seq = try store.registerAgency(agency)
            print("agency \(id) registered (event \(seq)): families \(fams.map { $0.sorted().joined(separator: ",") } ?? "all"), regions \(regs.map { $0.sorted().joined(separator: ",") } ?? "all")\(key == nil ? "" : ", signed submissions required")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the registered agencies and their scopes.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            let agencies = try options.open().agencies()
            if agencies.isEmpty { print("no agencies registered"); return }
            let rows = agencies.map { a in
                [a.id, a.name, a.families.map { $0.sorted().joined(separator: ",") } ?? "all",
                 a.regions.map { $0.sorted().joined(separator: ",") } ?? "all", a.publicKey == nil ? "no" : "yes"]
            }
            printTable(header: ["id", "name", "families", "regions", "signed"], rows: rows)
        }
    }
}

/// Prints rows as an aligned table (columns separated by two spaces).
func printTable(header: [String], rows: [[String]], rightAligned: Set<Int> = []) {
    var widths = header.map(\.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in
            let pad = String(repeating: " ", count: widths[i] - c.count)
            return rightAligned.contains(i) ? pad + c : c + pad
        }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }
    print(line(header))
    for r in rows { print(line(r)) }
}
