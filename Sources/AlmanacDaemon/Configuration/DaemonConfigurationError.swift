/// A configuration file that cannot be used: the file, where in it, and why.
///
/// TOMLKit reports a line and column only for syntax errors; every other problem is placed
/// by its key path, with `[[export]]` tables counted from 1: `export[2].cron`.
///
/// `description` is the one line the daemon prints:
/// `almanac.toml:4:12: …` for a syntax error, `almanac.toml: export[2].cron: …` otherwise.
public struct DaemonConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration file as it was named to the loader.
    public var file: String
    /// 1-based line and column, when TOMLKit gave them.
    public var line: Int?
    public var column: Int?
    /// Where the problem is when there is no line: `poll_seconds`, `export[2].cron`.
    public var keyPath: String?
    /// What is wrong, with a suggestion when one helps.
    public var reason: String

    public init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String? = nil, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.reason = reason
    }

    public var description: String {
        if let line {
            return "\(file):\(line)\(column.map { ":\($0)" } ?? ""): \(reason)"
        }
        if let keyPath {
            return "\(file): \(keyPath): \(reason)"
        }
        return "\(file): \(reason)"
    }
}
