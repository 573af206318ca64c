import Foundation

/// The fenced code blocks of a Markdown document, for tests that run the examples of docs/.
public enum FencedBlocks {
    /// Every ```` ``` ```` block of the file at `url`, in order: its info string (what follows
    /// the opening fence, such as `toml` or `csv reject`) and its body with a final newline.
    public static func read(_ url: URL) throws -> [(info: String, body: String)] {
        parse(try String(contentsOf: url, encoding: .utf8))
    }

    /// The blocks of a document's text (see ``read(_:)``).
    public static func parse(_ text: String) -> [(info: String, body: String)] {
        var out: [(info: String, body: String)] = []
        var info: String?
        var body: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let i = info {
                    out.append((i, body.joined(separator: "\n") + "\n"))
                    info = nil
                    body = []
                } else {
                    info = String(line.dropFirst(3))
                }
            } else if info != nil {
                body.append(line)
            }
        }
        return out
    }
}
