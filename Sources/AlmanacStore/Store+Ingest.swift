import AlmanacDomain
import AlmanacIngest
import AlmanacLog
import AlmanacSQLite
import Crypto
import Foundation
import Glibc

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

/// The stages of one ingest, as `Store.ingest` passes them (for benchmarks and profiles).
public enum IngestStage: String, Sendable, CaseIterable {
    /// Copying the file into the store while hashing it (and its fsync).
    case copy
    /// Opening the read model and catching it up, the agency and duplicate checks, the signature.
    case prepare
    /// Reading and checking every row.
    case validate
    /// Deciding the events against the current values.
    case decide
    /// Hard-linking the original into the archive (or quarantining it).
    case archive
    /// Encoding, compressing and appending the batch, with its fsync: the events are durable.
    case append
    /// Projecting the batch into the read model (on a thread of its own, while the batch is
    /// appended): the time waited for it after the append, and its thread's CPU time.
    case project
    /// Committing the read model's transaction (SQLite's checkpoint included), or switching
    /// to the new generation a bulk batch was projected into.
    case commit
}

/// Receives the time each stage of an ingest took; set by benchmarks.
public struct IngestStageObserver: Sendable {
    /// The stage, its wall-clock seconds and the CPU seconds of the thread that did its work.
    public var stageFinished: @Sendable (IngestStage, _ wall: Double, _ cpu: Double) -> Void

    public init(_ stageFinished: @escaping @Sendable (IngestStage, _ wall: Double, _ cpu: Double) -> Void) {
        self.stageFinished = stageFinished
    }
}

/// A stopwatch over the stages of one ingest (no cost without an observer).
private struct StageClock {
    let observer: IngestStageObserver?
    var last = timespec()
    var lastCPU = timespec()

    init(_ observer: IngestStageObserver?) {
        self.observer = observer
        if observer != nil {
            clock_gettime(CLOCK_MONOTONIC, &last)
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &lastCPU)
        }
    }

    /// Reports `stage` as ending now; `cpu` replaces this thread's CPU time in it (for work
    /// done on another thread).
    mutating func finished(_ stage: IngestStage, cpu otherCPU: Double? = nil) {
        guard let observer else { return }
        var now = timespec(), cpu = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu)
        let seconds = { (a: timespec, b: timespec) in Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9 }
        observer.stageFinished(stage, seconds(last, now), otherCPU ?? seconds(lastCPU, cpu))
        last = now
        lastCPU = cpu
    }
}

extension Store {
    /// The most rows one file may hold (split bigger files; each file is one atomic batch).
    public static let rowsPerSubmissionMax = 1_000_000

    private static let observerLock = NSLock()
    nonisolated(unsafe) private static var currentObserver: IngestStageObserver?

    /// Told the time of each stage of every ingest in this process (benchmarks); nil by default.
    public static var ingestStageObserver: IngestStageObserver? {
        get { observerLock.withLock { currentObserver } }
        set { observerLock.withLock { currentObserver = newValue } }
    }

    /// Ingests one agency file: copy it in, check signature and duplicates, validate every
    /// row, decide the events against the current state, archive or quarantine the
    /// original, append one batch, project. All under the writer lock.
    public func ingest(_ request: IngestRequest) throws -> IngestOutcome {
        var clock = StageClock(Store.ingestStageObserver)
        try requireInitialised()
        try layout.createDirectories()
        let display = Store.safeDisplayName(request.displayName ?? (request.path as NSString).lastPathComponent)
        // 1. Take a private copy of exactly the bytes we will judge, hashing as we go.
        let (copy, sha256, bytes) = try copyIn(request.path)
        var keepCopy = false
        defer { if !keepCopy { unlink(copy) } }
        clock.finished(.copy)

        // The writer lock for the whole ingest (as `withWriter`), with a clock the batch's
        // time can be fixed on: the read model is projected while the batch is appended,
        // and must know that time before the append makes it.
        let batchTime = BatchTime()
        var options = logOptions()
        let storeClock = self.clock
        options.clock = { batchTime.fixed ?? storeClock() }
        let writer = try LogWriter(path: layout.log, options: options)
        defer { try? writer.close() }
        return try { (writer: LogWriter) throws -> IngestOutcome in
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
            let (indicators, regions) = try Store.catalogue(db)
            // A file bigger than the model is projected while it is validated: its valid rows
            // stream to a thread that decides their events and writes them into a new
            // generation of the model (a copy of it; switched to only once the batch is durable
            // in the log). The batch's sequence numbers are known (this process holds the
            // writer lock) and its time is fixed now. (Into the live model the projection waits
            // for the validation: its write transaction would keep other processes from
            // catching the model up for the whole ingest.)
            var streaming: StreamingProjection?
            let first = writer.nextSequence
            var time = self.clock()
            if issues.isEmpty, bytes >= Store.streamingBytesMin, try Store.isBulk(events: bytes / 70, model: db) {
                batchTime.fixed = time
                removeAbandonedBuilds()
                streaming = try? StreamingProjection(first: first, recordedAtMs: time, file: display, fileBytes: bytes,
                                                             live: db, readModel: readModel)
                if streaming == nil { batchTime.fixed = nil }
            }
            // Whatever happens from here, the thread is stopped and its work undone unless
            // it was committed.
            defer { streaming?.abandon(); if db.isInTransaction { try? db.execute("ROLLBACK TRANSACTION") } }
            clock.finished(.prepare)
            // 4. Validate every row.
            var result: ValidationResult?
            if issues.isEmpty {
                let mapping = try request.mappingPath.map { try SourceMapping.load(path: $0) }
                // One submission is one atomic batch, and a batch holds at most 512 MiB of JSON
                // Lines: a limit of a million rows keeps every valid file appendable.
                var validator = SubmissionValidator(indicators: indicators, regions: regions, agency: agency,
                                                    options: ValidationOptions(maxRows: Store.rowsPerSubmissionMax,
                                                                               acceptValidRows: request.acceptValidRows))
                if let streaming {
                    validator.stream = ObservationStream(chunkSize: StreamingProjection.chunkObservations) { streaming.take($0) }
                }
                result = validator.validate(path: copy, format: request.format, mapping: mapping, displayName: display)
                issues = result!.issues
            }
            clock.finished(.validate)
            // 5. Decide the events against what is known now (done by the projection's thread
            // while streaming).
            var plan = SubmissionDiff.Plan()
            var counts = IngestOutcome.Counts()
            if let result, result.isAccepted {
                if let s = streaming, result.streamedAsIs, let streamed = try? s.plan(partialIssues: result.issues) {
                    plan = streamed
                } else {
                    streaming?.abandon()
                    streaming = nil
                    if db.isInTransaction { try db.execute("ROLLBACK TRANSACTION") }
                    plan = try SubmissionDiff.plan(for: result, file: display, partialIssues: result.issues, db: db)
                }
                counts = plan.counts
                issues = plan.issues
                counts.rows = result.rowsRead
                counts.rejectedRows = request.acceptValidRows ? Set(result.issues.compactMap(\.line)).count : 0
            }
            let format = result.map { _ in (request.format ?? Store.detectFormat(copy))?.rawValue ?? "unknown" } ?? "unknown"
            let rejected = result == nil || !(result!.isAccepted) || (!request.acceptValidRows && !issues.isEmpty)
            clock.finished(.decide)
            if rejected {
                streaming?.abandon()
                streaming = nil
                if db.isInTransaction { try db.execute("ROLLBACK TRANSACTION") }
                batchTime.fixed = nil
                keepCopy = true
                let folder = try quarantine(copy: copy, display: display, sha256: sha256, agency: agency.id, issues: issues,
                                            issueCount: max(result?.issueCount ?? issues.count, issues.count), format: format,
                                            claim: request.claim)
                keepCopy = false
                let payload = SubmissionRejected(agency: agency.id, file: display, sha256: sha256, format: format, bytes: bytes,
                                                 issueCount: max(result?.issueCount ?? issues.count, issues.count),
                                                 issues: issues.prefix(20).map(\.description), quarantine: folder,
                                                 claim: request.claim)
                clock.finished(.archive)
                let r = try writer.append([PendingEvent(type: EventType.submissionRejected.rawValue, data: try PayloadCoding.encode(payload))])
                clock.finished(.append)
                try ReadModel.catchUp(db, logPath: layout.log)
                clock.finished(.project)
                return .rejected(submission: r.firstSequence, issues: issues, issueCount: payload.issueCount,
                                 quarantine: layout.root + "/" + folder, file: display, sha256: sha256)
            }
            let observations = result?.observations ?? []
            // 6. Archive the original under its hash, then append, then project.
            let archive = try archiveOriginal(copy: copy, sha256: sha256)
            FaultPoints.hit("after-archive")
            clock.finished(.archive)
            let release = observations.compactMap(\.releaseDate).max().map(\.description)
            let accepted = SubmissionAccepted(agency: agency.id, file: display, sha256: sha256, format: format, bytes: bytes,
                                              rows: counts.rows, reported: counts.reported, revised: counts.revised,
                                              unchanged: counts.unchanged, retracted: counts.retracted,
                                              rejectedRows: counts.rejectedRows, releaseDate: release, archive: archive, signed: signed,
                                              claim: request.claim)
            let acceptedData = try PayloadCoding.encode(accepted)
            var texts = EventTexts(plan: plan)
            // The projection: the streaming thread finishes it (the submission's row, the
            // rest of the rows, the checkpoint) while this one appends; otherwise it is done
            // now on another thread, from the plan.
            let projection: Background<PreparedProjection>?
            var encodedAhead: EncodedEvents?
            if let streaming {
                streaming.finish(with: accepted)
                encodedAhead = streaming.encodedEvents()
                projection = nil
            } else {
                time = self.clock()
                batchTime.fixed = time
                removeAbandonedBuilds()
                // A batch larger than the whole model goes into a copy of it, a new generation
                // written once and switched to (as a rebuild is), rather than through the WAL.
                let bulk = try Store.isBulk(events: plan.decisions.count, model: db)
                let readModel = self.readModel
                let first = first
                let time = time
                projection = Background { () throws -> PreparedProjection in
                    var projectionTexts = EventTexts(plan: plan)
                    return try Store.prepareProjection(first: first, recordedAtMs: time, accepted: accepted, plan: plan,
                                                       observations: observations, texts: &projectionTexts, live: db,
                                                       readModel: readModel, bulk: bulk)
                }
            }
            func waitForProjection() -> (Result<PreparedProjection, Error>, Double) {
                if let streaming { return streaming.wait() }
                return projection!.wait()
            }
            let r: AppendResult
            do {
                r = try writer.append { enc in
                    let submission = enc.firstSequence
                    enc.add(type: EventType.submissionAccepted.rawValue) { $0.append(acceptedData) }
                    // Written by the streaming projection while the file was read, when it could.
                    if let lines = encodedAhead, lines.count == plan.decisions.count, enc.addEncoded(lines) { return }
                    var sized = false
                    for d in plan.decisions {
                        let o = observations[Int(d.observation)]
                        let s = Int(plan.seriesOfObservation[Int(d.observation)])
                        let parts = texts.parts(d, o, series: s)
                        let previous = d.previous >= 0 ? plan.previous[Int(d.previous)] : nil
                        enc.add(type: parts.type.rawValue) { buffer in
                            let before = buffer.count
                            EventTexts.write(parts, d, o, previous: previous, submission: submission, to: buffer)
                            if !sized {
                                // Room for the whole batch at once, estimated from the first event
                                // (envelope included), rather than doubling a buffer of hundreds of MB.
                                sized = true
                                buffer.reserve((buffer.count - before + 96) * plan.decisions.count * 5 / 4)
                            }
                        }
                    }
                }
            } catch {
                batchTime.fixed = nil
                if case .success(.generation(let build)) = waitForProjection().0 { build.discard() }
                if db.isInTransaction { try? db.execute("ROLLBACK TRANSACTION") }
                throw error
            }
            batchTime.fixed = nil
            FaultPoints.hit("after-append")
            clock.finished(.append)
            // The projection: committed only now that the batch is durable in the log.
            let (prepared, projectionCPU) = waitForProjection()
            streaming = nil
            clock.finished(.project, cpu: projectionCPU)
            let asAppended = r.firstSequence == first && r.recordedAtMs == time && r.count == plan.decisions.count + 1
            switch prepared {
            case .success(.live) where asAppended:
                try db.execute("COMMIT TRANSACTION")
            case .success(.generation(let build)) where asAppended:
                do {
                    try build.finish()
                } catch {
                    // Not switched to: the live model catches up from the log instead.
                    build.discard()
                    try ReadModel.catchUp(db, logPath: layout.log)
                }
            default:
                if case .success(.generation(let build)) = prepared { build.discard() }
                if db.isInTransaction { try? db.execute("ROLLBACK TRANSACTION") }
                if case .failure(let error) = prepared, !(error is ProjectionSkipped) { throw error }
                try ReadModel.catchUp(db, logPath: layout.log)
            }
            clock.finished(.commit)
            return .accepted(submission: r.firstSequence, counts: counts, file: display, sha256: sha256)
        }(writer)
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
