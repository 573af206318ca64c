import Foundation

/// An organisation allowed to submit figures, and the scope it may submit for.
///
/// Registered by `AgencyRegistered` events. A row outside the scope rejects the whole file:
/// a provincial statistics office reporting another province's budget is an error, not a
/// contribution. The scope is an allow-list; `nil` means *all* (the national statistics
/// office), an empty list means *none*.
public struct Agency: Sendable, Hashable, Codable, Identifiable {
    /// The identifier used in the inbox folder name and `--agency` (`tn-stats`).
    public let id: String
    /// The full name (`Cục Thống kê tỉnh Thái Nguyên`).
    public let name: String
    /// Indicator families it may submit, or nil for all.
    public let families: Set<String>?
    /// Region codes it may submit for, or nil for all.
    public let regions: Set<String>?
    /// Its Ed25519 public key (32 raw bytes; base64 in JSON), or nil when its files are unsigned.
    public let publicKey: Data?

    /// Length of an Ed25519 public key in bytes.
    public static let publicKeyBytes = 32
    /// The longest identifier accepted; identifiers become folder names.
    public static let idCharactersMax = 64

    /// Creates an agency.
    ///
    /// - Throws: ``AgencyError`` when the id is not a safe folder name (lowercase ASCII
    ///   letters, digits, `-` and `_`, starting with a letter or digit, at most
    ///   ``idCharactersMax``) or the key is not 32 bytes.
    public init(id: String, name: String, families: Set<String>? = nil, regions: Set<String>? = nil,
                publicKey: Data? = nil) throws(AgencyError) {
        try Agency.check(id: id, publicKey: publicKey)
        self.id = id
        self.name = name
        self.families = families
        self.regions = regions
        self.publicKey = publicKey
    }

    /// Whether the agency may submit figures of `family` for the region with code `region`.
    ///
    /// Family names compare case-insensitively; region codes exactly as catalogued (`19`,
    /// `19N`). Granting an old province does not grant its 2025 successor: scopes are
    /// re-registered when boundaries change.
    public func permits(family: String, region: String) -> Bool {
        let familyOK = families.map { $0.contains(family.lowercased()) } ?? true
        let regionOK = regions.map { $0.contains(region) } ?? true
        return familyOK && regionOK
    }

    /// Whether the agency may submit `indicator` for `region`.
    public func permits(_ indicator: IndicatorDefinition, for region: Region) -> Bool {
        permits(family: indicator.family, region: region.code)
    }

    static func check(id: String, publicKey: Data?) throws(AgencyError) {
        let allowed = { (c: Character) in c.isASCII && (c.isLowercase || c.isNumber || c == "-" || c == "_") }
        guard !id.isEmpty, id.count <= idCharactersMax, id.allSatisfy(allowed),
              let first = id.first, first.isLetter || first.isNumber else {
            throw AgencyError(message: "agency id '\(id.prefix(80))' is not allowed",
                              hint: "use 1 to \(idCharactersMax) lowercase letters, digits, - or _, starting with a letter or digit")
        }
        if let publicKey, publicKey.count != publicKeyBytes {
            throw AgencyError(message: "public key of agency '\(id)' has \(publicKey.count) bytes, not \(publicKeyBytes)",
                              hint: "give the raw 32-byte Ed25519 public key, base64-encoded")
        }
    }

    private enum CodingKeys: String, CodingKey { case id, name, families, regions, publicKey }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let id = try c.decode(String.self, forKey: .id)
        var key: Data?
        if let base64 = try c.decodeIfPresent(String.self, forKey: .publicKey) {
            guard let data = Data(base64Encoded: base64) else {
                throw DecodingError.dataCorruptedError(forKey: .publicKey, in: c, debugDescription: "public key is not base64")
            }
            key = data
        }
        do {
            try self.init(id: id, name: try c.decode(String.self, forKey: .name),
                          families: try c.decodeIfPresent(Set<String>.self, forKey: .families),
                          regions: try c.decodeIfPresent(Set<String>.self, forKey: .regions), publicKey: key)
        } catch let error as AgencyError {
            throw DecodingError.dataCorruptedError(forKey: .id, in: c, debugDescription: error.description)
        }
    }

    /// Encodes families and regions sorted, so the same agency always encodes to the same bytes.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(families?.sorted(), forKey: .families)
        try c.encodeIfPresent(regions?.sorted(), forKey: .regions)
        try c.encodeIfPresent(publicKey?.base64EncodedString(), forKey: .publicKey)
    }
}

/// A problem with an agency definition.
public struct AgencyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One sentence saying what is wrong.
    public let message: String
    /// What to do instead.
    public let hint: String?

    /// `message (hint: …)`.
    public var description: String { hint.map { "\(message) (hint: \($0))" } ?? message }
}
