import AlmanacDomain
import Foundation

/// `TextFolding.fold`, remembered. Checking and compiling a query folds every indicator
/// code and every region's code and names of the catalogue to match what the analyst wrote
/// (accents and case ignored), and folding is Unicode work: done once per text, not once
/// per query, it takes a millisecond off each query. The table is dropped whole if it ever
/// holds 20,000 texts (the catalogue's are a few hundred; the rest come from queries).
enum FoldedText {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var table: [String: String] = [:]

    static func of(_ text: String) -> String {
        if let known = lock.withLock({ table[text] }) { return known }
        let folded = TextFolding.fold(text)
        lock.withLock {
            if table.count >= 20_000 { table.removeAll(keepingCapacity: true) }
            table[text] = folded
        }
        return folded
    }
}
