import Foundation

/// Why generation failed: bad options or a file that could not be written.
public struct GeneratorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file or directory involved, when there is one.
    public let path: String?
    /// One sentence saying what went wrong.
    public let message: String

    /// Creates an error.
    public init(path: String? = nil, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, or the message alone.
    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
