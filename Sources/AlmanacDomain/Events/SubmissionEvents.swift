import Foundation

/// The payload of `SubmissionAccepted`: the audit record of one accepted file. Its event's
/// sequence number is the submission's id, which the batch's observation events cite.
public struct SubmissionAccepted: Codable, Sendable, Equatable {
    public var agency: String
    /// The file's name as the agency gave it (display only; never used as a path).
    public var file: String
    public var sha256: String
    public var format: String
    public var bytes: Int
    public var rows: Int
    public var reported: Int
    public var revised: Int
    public var unchanged: Int
    public var retracted: Int
    /// Rows refused in partial mode (accept the valid rows, quarantine the rest).
    public var rejectedRows: Int
    public var releaseDate: String?
    /// Where the original is archived, relative to the store.
    public var archive: String
    public var signed: Bool
    /// The ingest daemon's claim id when the file came through the inbox (absent otherwise):
    /// a daemon restarted after a crash finds here whether a claimed file was already done.
    public var claim: String?

    public init(agency: String, file: String, sha256: String, format: String, bytes: Int, rows: Int,
                reported: Int, revised: Int, unchanged: Int, retracted: Int, rejectedRows: Int = 0,
                releaseDate: String?, archive: String, signed: Bool, claim: String? = nil) {
        self.agency = agency; self.file = file; self.sha256 = sha256; self.format = format; self.bytes = bytes
        self.rows = rows; self.reported = reported; self.revised = revised; self.unchanged = unchanged
        self.retracted = retracted; self.rejectedRows = rejectedRows; self.releaseDate = releaseDate
        self.archive = archive; self.signed = signed; self.claim = claim
    }

    enum CodingKeys: String, CodingKey {
        case agency, file, sha256, format, bytes, rows, reported, revised, unchanged, retracted
        case rejectedRows = "rejected_rows", releaseDate = "release_date", archive, signed, claim
    }
}

/// The payload of `SubmissionRejected`: a file refused whole, kept in quarantine.
public struct SubmissionRejected: Codable, Sendable, Equatable {
    public var agency: String
    public var file: String
    public var sha256: String
    public var format: String?
    public var bytes: Int
    public var issueCount: Int
    /// The first few issues, one line each.
    public var issues: [String]
    /// The quarantine folder, relative to the store.
    public var quarantine: String
    /// The ingest daemon's claim id when the file came through the inbox (absent otherwise).
    public var claim: String?

    public init(agency: String, file: String, sha256: String, format: String?, bytes: Int, issueCount: Int, issues: [String],
                quarantine: String, claim: String? = nil) {
        self.agency = agency; self.file = file; self.sha256 = sha256; self.format = format; self.bytes = bytes
        self.issueCount = issueCount; self.issues = issues; self.quarantine = quarantine; self.claim = claim
    }

    enum CodingKeys: String, CodingKey {
        case agency, file, sha256, format, bytes, issues, quarantine, claim
        case issueCount = "issue_count"
    }
}

/// Payload JSON for the reference and audit events, which are rare: Foundation's encoder,
/// keys sorted so the same payload is always the same bytes.
public enum PayloadCoding {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try e.encode(value))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: UnsafeRawBufferPointer) throws -> T {
        try JSONDecoder().decode(type, from: Data(data))
    }
}
