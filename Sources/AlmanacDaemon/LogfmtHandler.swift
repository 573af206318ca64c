import AlmanacLog
import Foundation
import Logging

/// A swift-log handler writing one logfmt line per message to standard error:
/// `time=2021-07-12T08:00:00.000Z level=info msg=accepted agency=… file=… reported=…`.
/// One line per file and outcome, easy for journald, grep and log shippers alike.
public struct LogfmtHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = "time=\(LogTime.now()) level=\(event.level) logger=\(label) msg=\(LogfmtHandler.quote(event.message.description))"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        for key in merged.keys.sorted() {
            line += " \(key)=\(LogfmtHandler.quote("\(merged[key]!)"))"
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Quotes a value when it holds spaces, quotes, `=` or control characters.
    static func quote(_ value: String) -> String {
        let needs = value.isEmpty || value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 || $0 == "\\" }
        guard needs else { return value }
        var out = "\""
        for s in value.unicodeScalars {
            switch s {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if s.value < 0x20 { out += String(format: "\\u%04x", s.value) } else { out.unicodeScalars.append(s) }
            }
        }
        return out + "\""
    }
}

private enum LogTime {
    static func now() -> String {
        AlmanacLog.Timestamp.iso8601(ms: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }
}
