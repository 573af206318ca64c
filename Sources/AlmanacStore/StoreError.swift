/// A failure of the store, with what to do about it. `description` is one line.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case notInitialised, alreadyInitialised, unknownAgency, badArgument, readModel, io, signature
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
