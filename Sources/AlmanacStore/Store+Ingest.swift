import AlmanacDomain
import AlmanacIngest
import AlmanacLog
import AlmanacSQLite
import Crypto
import Foundation

/// What to ingest and how.
public struct IngestRequest: Sendable {
    /// The file on disk (read once, copied into the store before anything else).
    public var path: String
    public var agency: String
    /// Overrides detection from content.
    public var format: SourceFormat?
    /// A PX-Web or SDMX mapping file.
    public var mappingPath: String?
    /// An Ed25519 signature over the file's SHA-256 digest (raw 64 bytes, or base64/hex text).
    public var signaturePath: String?
    /// Accept the valid rows and quarantine the rest (recorded in the events).
    public var acceptValidRows = false
    /// The name reported in messages and events; the file name of `path` by default.
    public var displayName: String?
    /// The ingest daemon's claim id, recorded in the submission event (see `SubmissionAccepted.claim`).
    public var claim: String?

    public init(path: String, agency: String, format: SourceFormat? = nil, mappingPath: String? = nil,
                signaturePath: String? = nil, acceptValidRows: Bool = false, displayName: String? = nil, claim: String? = nil) {
        self.claim = claim
        self.path = path
        self.agency = agency
        self.format = format
        self.mappingPath = mappingPath
        self.signaturePath = signaturePath
        self.acceptValidRows = acceptValidRows
        self.displayName = displayName
    }
}

/// What became of one file.
public enum IngestOutcome: Sendable {
    public struct Counts: Sendable, Equatable {
        public var rows = 0, reported = 0, revised = 0, unchanged = 0, retracted = 0, rejectedRows = 0

        public init(rows: Int = 0, reported: Int = 0, revised: Int = 0, unchanged: Int = 0, retracted: Int = 0, rejectedRows: Int = 0) {
            self.rows = rows; self.reported = reported; self.revised = revised
            self.unchanged = unchanged; self.retracted = retracted; self.rejectedRows = rejectedRows
        }
    }

    /// Accepted: the submission's sequence number and what changed.
    case accepted(submission: UInt64, counts: Counts, file: String, sha256: String)
    /// The same bytes from the same agency were accepted before (nothing was written).
    case duplicate(of: UInt64, file: String, sha256: String)
    /// Refused whole; the original and the error reports are in quarantine.
    case rejected(submission: UInt64, issues: [ValidationIssue], issueCount: Int, quarantine: String, file: String, sha256: String)
}

extension Store {
    /// The most rows one file may hold (split bigger files; each file is one atomic batch).
    public static let rowsPerSubmissionMax = 1_000_000

    /// Ingests one agency file: copy it in, check signature and duplicates, validate every
    /// row, decide the events against the current state, archive or quarantine the
    /// original, append one batch, project. All under the writer lock.
    public func ingest(_ request: IngestRequest) throws -> IngestOutcome {
        try requireInitialised()
        try layout.createDirectories()
        let display = Store.safeDisplayName(request.displayName ?? (request.path as NSString).lastPathComponent)
        // 1. Take a private copy of exactly the bytes we will judge, hashing as we go.
        let (copy, sha256, bytes) = try copyIn(request.path)
        var keepCopy = false
        defer { if !keepCopy { unlink(copy) } }

        return try withWriter { writer in
            removeAbandonedCopies()
            let (db, _) = try readModel.openCaughtUp()
            let agencies = try Store.agencies(db)
            guard let agency = agencies.first(where: { $0.id == request.agency }) else {
                let known = agencies.map(\.id)
                let hint = DidYouMean.suggestions(for: request.agency, among: known).first.map { " (did you mean \($0)?)" } ?? ""
                throw StoreError(.unknownAgency, "unknown agency \"\(request.agency)\"\(hint); register it with `almanac agency add`")
            }
            // 2. Duplicate: the same bytes from the same agency, accepted before.
            if case .integer(let seq)? = try db.firstValue(
                "SELECT seq FROM submissions WHERE agency = ? AND sha256 = ? AND status = 'accepted' ORDER BY seq LIMIT 1",
                arguments: [.text(agency.id), .text(sha256)]) {
                return .duplicate(of: UInt64(seq), file: display, sha256: sha256)
            }
            // 3. Signature, when the agency has a key.
            var issues: [ValidationIssue] = []
            var signed = false
            if let key = agency.publicKey {
                if let problem = Store.checkSignature(key: key, sha256: sha256, path: request.signaturePath) {
                    issues.append(ValidationIssue(file: display, code: "signature", message: problem,
                                                  hint: "sign the file's SHA-256 digest with the agency's Ed25519 key and pass it with --signature"))
                } else {
                    signed = true
                }
            }
            // 4. Validate every row.
            let (indicators, regions) = try Store.catalogue(db)
            var result: ValidationResult?
            if issues.isEmpty {
                let mapping = try request.mappingPath.map { try SourceMapping.load(path: $0) }
                // One submission is one atomic batch, and a batch holds at most 512 MiB of JSON
                // Lines: a limit of a million rows keeps every valid file appendable.
                let validator = SubmissionValidator(indicators: indicators, regions: regions, agency: agency,
                                                    options: ValidationOptions(maxRows: Store.rowsPerSubmissionMax,
                                                                               acceptValidRows: request.acceptValidRows))
                result = validator.validate(path: copy, format: request.format, mapping: mapping, displayName: display)
                issues = result!.issues
            }
            // 5. Decide the events against what is known now.
            var events: [ObservationEvent] = []
            var counts = IngestOutcome.Counts()
            if let result, result.isAccepted {
                let diff = try SubmissionDiff(db: db)
                (events, counts, issues) = try diff.events(for: result.observations, file: display, partialIssues: result.issues)
                counts.rows = result.rowsRead
                counts.rejectedRows = request.acceptValidRows ? Set(result.issues.compactMap(\.line)).count : 0
            }
            let format = result.map { _ in (request.format ?? Store.detectFormat(copy))?.rawValue ?? "unknown" } ?? "unknown"
            let rejected = result == nil || !(result!.isAccepted) || (!request.acceptValidRows && !issues.isEmpty)
            if rejected {
                keepCopy = true
                let folder = try quarantine(copy: copy, display: display, sha256: sha256, agency: agency.id, issues: issues,
                                            issueCount: max(result?.issueCount ?? issues.count, issues.count), format: format,
                                            claim: request.claim)
                keepCopy = false
                let payload = SubmissionRejected(agency: agency.id, file: display, sha256: sha256, format: format, bytes: bytes,
                                                 issueCount: max(result?.issueCount ?? issues.count, issues.count),
                                                 issues: issues.prefix(20).map(\.description), quarantine: folder,
                                                 claim: request.claim)
                let r = try writer.append([PendingEvent(type: EventType.submissionRejected.rawValue, data: try PayloadCoding.encode(payload))])
                try ReadModel.catchUp(db, logPath: layout.log)
                return .rejected(submission: r.firstSequence, issues: issues, issueCount: payload.issueCount,
                                 quarantine: layout.root + "/" + folder, file: display, sha256: sha256)
            }
            // 6. Archive the original under its hash, then append, then project.
            let archive = try archiveOriginal(copy: copy, sha256: sha256)
            FaultPoints.hit("after-archive")
            let release = result?.observations.compactMap(\.releaseDate).max().map(\.description)
            let accepted = SubmissionAccepted(agency: agency.id, file: display, sha256: sha256, format: format, bytes: bytes,
                                              rows: counts.rows, reported: counts.reported, revised: counts.revised,
                                              unchanged: counts.unchanged, retracted: counts.retracted,
                                              rejectedRows: counts.rejectedRows, releaseDate: release, archive: archive, signed: signed,
                                              claim: request.claim)
            let acceptedData = try PayloadCoding.encode(accepted)
            let r = try writer.append { enc in
                let submission = enc.firstSequence
                enc.add(type: EventType.submissionAccepted.rawValue) { $0.append(acceptedData) }
                for var e in events {
                    e.submission = submission
                    enc.add(type: e.type.rawValue) { e.write(to: $0) }
                }
            }
            FaultPoints.hit("after-append")
            try ReadModel.catchUp(db, logPath: layout.log)
            return .accepted(submission: r.firstSequence, counts: counts, file: display, sha256: sha256)
        }
    }

    /// A name safe to show and to record: no directories, no control or bidi characters,
    /// at most 255 bytes. It is never used as a path.
    static func safeDisplayName(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            let v = scalar.value
            if v < 0x20 || v == 0x7F || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F {
                out.unicodeScalars.append("\u{FFFD}")
            } else if scalar == "/" || scalar == "\\" {
                out.append("_")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if out.isEmpty || out == "." || out == ".." { out = "unnamed" }
        while out.utf8.count > 255 { out.removeLast() }
        return out.precomposedStringWithCanonicalMapping
    }

    static func detectFormat(_ path: String) -> SourceFormat? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 64 * 1024)) ?? Data()
        return FormatDetector.detect(headBytes: [UInt8](head))
    }
}
