import Glibc

/// Everything that can go wrong with the log, with the context to act on it: the file,
/// the byte offset, the sequence number, the operating-system error.
///
/// `description` is one line meant for people (the CLI prints it as is).
public struct LogError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Another process holds the writer lock.
        case locked(pid: Int32?)
        /// A checksum, a chain link, a sequence number or a frame is wrong at `path`/`offset`.
        case corrupt
        /// A system call failed (`errno` is set).
        case io
        /// An earlier write or fsync failed; the writer refuses all further work.
        case writerStopped
        /// The caller asked for something impossible (an empty batch, an oversized event).
        case invalidArgument
        /// The log directory does not exist or holds no log.
        case notFound
    }

    public var kind: Kind
    public var message: String
    public var path: String?
    public var offset: Int?
    public var errno: Int32?

    public init(_ kind: Kind, _ message: String, path: String? = nil, offset: Int? = nil, errno: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.path = path
        self.offset = offset
        self.errno = errno
    }

    public var description: String {
        var parts: [String] = []
        if let path { parts.append(offset.map { "\(path) at byte \($0)" } ?? path) }
        var text = message
        if let errno { text += " (\(String(cString: strerror(errno))), errno \(errno))" }
        parts.append(text)
        return parts.joined(separator: ": ")
    }

    static func corrupt(_ message: String, path: String, offset: Int) -> LogError {
        LogError(.corrupt, message, path: path, offset: offset)
    }

    static func io(_ operation: String, path: String?, errno: Int32) -> LogError {
        LogError(.io, "\(operation) failed", path: path, errno: errno)
    }
}

extension LogError {
    /// `error` itself when it is a `LogError`, else a `.io` error describing it.
    static func wrap(_ error: any Error) -> LogError {
        (error as? LogError) ?? LogError(.io, String(describing: error))
    }
}
