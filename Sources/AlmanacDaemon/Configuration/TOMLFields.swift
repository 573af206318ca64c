import AlmanacDomain
import TOMLKit

/// Typed reading of one TOML table of the configuration, with errors placed by key path.
///
/// Every read names the type it wants; a value of another type is an error, never converted
/// (`keep = "7"` is refused, not read as 7).
struct TOMLFields {
    let table: TOMLTable
    /// The table's key path: empty for the top level, `export[2]` for the second `[[export]]`.
    let path: String
    let file: String

    func keyPath(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    func error(_ key: String?, _ reason: String) -> DaemonConfigurationError {
        DaemonConfigurationError(file: file, keyPath: key.map(keyPath) ?? path, reason: reason)
    }

    /// Refuses keys not in `allowed`, suggesting the one probably meant.
    func refuseUnknownKeys(allowed: [String]) throws(DaemonConfigurationError) {
        for key in table.keys.sorted() where !allowed.contains(key) {
            let reason: String
            if let near = DidYouMean.suggestions(for: key, among: allowed, limit: 1).first {
                reason = "unknown key \"\(key)\"; did you mean \"\(near)\"?"
            } else {
                reason = "unknown key \"\(key)\" (the keys are \(allowed.joined(separator: ", ")))"
            }
            throw error(key, reason)
        }
    }

    func value(_ key: String) -> TOMLValue? {
        guard table.contains(key: key) else { return nil }
        let v: TOMLValue? = table[key]
        return v
    }

    func string(_ key: String) throws(DaemonConfigurationError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.string else { throw wrongType(key, expected: "a string", found: v) }
        return s
    }

    func int(_ key: String) throws(DaemonConfigurationError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.int else { throw wrongType(key, expected: "an integer", found: v) }
        return n
    }

    func required<T>(_ key: String, _ read: (String) throws(DaemonConfigurationError) -> T?) throws(DaemonConfigurationError) -> T {
        guard let v = try read(key) else { throw error(nil, "missing key \"\(key)\"") }
        return v
    }

    func wrongType(_ key: String, expected: String, found: TOMLValueConvertible) -> DaemonConfigurationError {
        error(key, "expected \(expected), found \(Self.describe(found.type))")
    }

    /// A TOML type with its article, as the messages say it.
    static func describe(_ type: TOMLType) -> String {
        switch type {
        case .table: return "a table"
        case .array: return "an array"
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a floating-point number"
        case .bool: return "a boolean"
        case .date: return "a date"
        case .time: return "a time"
        case .dateTime: return "a date-time"
        }
    }
}
