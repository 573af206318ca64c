import AlmanacDomain
import AlmanacLog
import Foundation
import Glibc

/// A file the daemon has taken from the inbox: `<store>/daemon/processing/<id>/` holds
/// `claim.json` (who sent what, and the log's head when it was taken), the file itself as
/// `data` (renamed in from the inbox: the same bytes, never copied), its signature as
/// `data.sig` when the agency sent one, and `outcome.json` once it has been ingested.
///
/// The steps are ordered so that a kill at any moment leaves a state the next start can
/// finish: a folder without `claim.json` or without `data` is an abandoned claim (the file is
/// still in the inbox) and is removed; a folder with both is ingested, unless the log already
/// holds a submission with this claim id (then that outcome is taken); a folder with
/// `outcome.json` only needs its bookkeeping finished.
struct Claim: Codable, Sendable, Equatable {
    var id: String
    var agency: String
    var name: String
    var claimedAt: String
    /// The log's next sequence when the file was claimed: any submission of this claim is at or after it.
    var logHead: UInt64
    var signed: Bool

    enum CodingKeys: String, CodingKey {
        case id, agency, name, signed
        case claimedAt = "claimed_at", logHead = "log_head"
    }
}

/// What became of a claimed file.
struct ClaimOutcome: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable { case accepted, duplicate, rejected, failed }
    var kind: Kind
    var submission: UInt64?
    var sha256: String?
    var rows = 0, reported = 0, revised = 0, unchanged = 0, retracted = 0
    /// For rejections: the quarantine folder (relative to the store) and the first problem.
    var quarantine: String?
    var message: String?
}

final class ClaimArea {
    let processing: String
    let failed: String
    private var counter: UInt32 = 0

    init(daemonDirectory: String) {
        processing = daemonDirectory + "/processing"
        failed = daemonDirectory + "/failed"
    }

    func createDirectories() throws {
        for dir in [processing, failed] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
    }

    func folder(_ claim: Claim) -> String { processing + "/" + claim.id }
    func dataPath(_ claim: Claim) -> String { folder(claim) + "/data" }
    func signaturePath(_ claim: Claim) -> String { folder(claim) + "/data.sig" }

    private static let stampFormat: DateFormatter = {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd'T'HHmmssSSS'Z'"
        return f
    }()

    /// A new claim id: sortable by time, unique, safe as a path component.
    func newID(now: Date) -> String {
        counter &+= 1
        let random = UInt32.random(in: 0...UInt32.max)
        return ClaimArea.stampFormat.string(from: now) + "-" + String(format: "%04x%08x", counter & 0xFFFF, random)
    }

    /// Takes `file` out of the inbox. Returns nil when it vanished before it could be taken.
    func claim(_ file: InboxFile, logHead: UInt64, now: Date) throws -> Claim? {
        let signature = file.path + ".sig"
        var st = stat()
        let hasSignature = lstat(signature, &st) == 0 && st.st_mode & S_IFMT == S_IFREG
        let claim = Claim(id: newID(now: now), agency: file.agency, name: file.name,
                          claimedAt: Timestamp.iso8601(ms: Int64(now.timeIntervalSince1970 * 1000)),
                          logHead: logHead, signed: hasSignature)
        let dir = folder(claim)
        guard mkdir(dir, 0o755) == 0 else {
            throw AtomicFile.Failure(description: "\(dir): cannot create: \(String(cString: strerror(errno)))")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(claim)), to: dir + "/claim.json")
        if hasSignature {
            // The signature first: a claim with data but a missing signature would be judged unsigned.
            guard rename(signature, signaturePath(claim)) == 0 else {
                try? FileManager.default.removeItem(atPath: dir)
                return nil
            }
        }
        guard rename(file.path, dataPath(claim)) == 0 else {
            let e = errno
            if hasSignature { _ = rename(signaturePath(claim), signature) }
            try? FileManager.default.removeItem(atPath: dir)
            if e == ENOENT { return nil }
            throw AtomicFile.Failure(description: "\(file.path): cannot take it from the inbox: \(String(cString: strerror(e)))")
        }
        try AtomicFile.syncDirectory(dir)
        try AtomicFile.syncDirectory((file.path as NSString).deletingLastPathComponent)
        return claim
    }

    /// Claims left by an earlier run, oldest first; abandoned half-claims are removed
    /// (their files never left the inbox).
    func pending() -> [Claim] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: processing) else { return [] }
        var claims: [Claim] = []
        for name in names.sorted() {
            let dir = processing + "/" + name
            if name.hasPrefix(".") { continue }
            guard let bytes = AtomicFile.read(dir + "/claim.json"),
                  let claim = try? JSONDecoder().decode(Claim.self, from: Data(bytes)),
                  claim.id == name else {
                // No claim record: created but never written; the data never moved.
                if access(dir + "/data", F_OK) != 0 { try? FileManager.default.removeItem(atPath: dir) }
                continue
            }
            if access(dataPath(claim), F_OK) != 0 && outcome(of: claim) == nil {
                // Killed between the claim record and the rename: the file is still in the inbox
                // (and so is its signature, unless it was moved: put it back).
                if access(signaturePath(claim), F_OK) == 0 {
                    _ = rename(signaturePath(claim), inboxPathGuess(claim) + ".sig")
                }
                try? FileManager.default.removeItem(atPath: dir)
                continue
            }
            claims.append(claim)
        }
        return claims
    }

    /// Where the claimed file came from (for putting a signature back).
    var inboxRoot: String?
    private func inboxPathGuess(_ claim: Claim) -> String {
        (inboxRoot ?? processing) + "/" + claim.agency + "/" + claim.name
    }

    func outcome(of claim: Claim) -> ClaimOutcome? {
        guard let bytes = AtomicFile.read(folder(claim) + "/outcome.json") else { return nil }
        return try? JSONDecoder().decode(ClaimOutcome.self, from: Data(bytes))
    }

    /// Records the outcome beside the claim. Not forced to disk: the log holds the
    /// submission (with the claim id), and a claim without a readable outcome is looked up
    /// there, or ingested again as the duplicate it then is.
    func record(_ outcome: ClaimOutcome, for claim: Claim) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(Array(try encoder.encode(outcome)), to: folder(claim) + "/outcome.json", durable: false)
    }

    /// The claim is done: its file lives on in the archive or in quarantine. The removal is
    /// not forced to disk either: a claim that comes back after a power cut is finished again
    /// from its outcome or from the log, and ingests as a duplicate at worst.
    func finish(_ claim: Claim) throws {
        try FileManager.default.removeItem(atPath: folder(claim))
    }

    /// A claim that failed repeatedly moves aside whole (file, signature, claim record) with
    /// the error, for an operator: nothing an agency sent is dropped.
    func park(_ claim: Claim, error: String) throws -> String {
        try AtomicFile.write(Array((error + "\n").utf8), to: folder(claim) + "/error.txt")
        let target = failed + "/" + claim.id
        guard rename(folder(claim), target) == 0 else {
            throw AtomicFile.Failure(description: "\(target): cannot move the failed claim: \(String(cString: strerror(errno)))")
        }
        try AtomicFile.syncDirectory(processing)
        try AtomicFile.syncDirectory(failed)
        return target
    }
}
