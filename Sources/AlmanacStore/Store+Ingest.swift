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

/// Runs work on a thread of its own; `wait()` gives its result and the thread's CPU seconds.
final class Background<T>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<T, Error>?
    private var cpu = 0.0
    private let work: () throws -> T

    /// Starts `work` at once. The caller leaves what `work` touches alone until `wait()`.
    init(_ work: @escaping () throws -> T) {
        self.work = work
        let thread = Thread { [self] in
            var a = timespec(), b = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
            result = Result { try self.work() }
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
            cpu = Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
            done.signal()
        }
        thread.stackSize = 16 << 20
        thread.start()
    }

    /// Blocks until the work is done (call once).
    func wait() -> (Result<T, Error>, Double) {
        done.wait()
        return (result!, cpu)
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
                streaming = try? StreamingProjection(first: first, recordedAtMs: time, file: display, live: db, readModel: readModel)
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
            if let streaming {
                streaming.finish(with: accepted)
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
                    var sized = false
                    for d in plan.decisions {
                        let o = observations[Int(d.observation)]
                        let s = Int(plan.seriesOfObservation[Int(d.observation)])
                        let period = texts.period(o.period)
                        let release = texts.releaseDate(o.releaseDate)
                        let series = texts.encodedSeries(s, unit: o.unit)
                        let previous = d.previous >= 0 ? plan.previous[Int(d.previous)] : nil
                        let type = d.kind == .reported ? EventType.observationReported : d.kind == .revised ? .observationRevised : .observationRetracted
                        let status = texts.statusJSON[texts.statusIndex(o.status)]
                        enc.add(type: type.rawValue) { buffer in
                            let before = buffer.count
                            ObservationEvent.write(submission: submission, series: series.encoded, period: texts.periodJSON[period],
                                                   value: d.kind == .retracted ? nil : o.value, unit: series.unit, status: status,
                                                   releaseDate: release.map { texts.releaseJSON[$0] }, previousValue: previous?.value,
                                                   previousStatus: previous?.status, previousSubmission: previous?.submission, to: buffer)
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

    /// The time of the batch being appended, once fixed (read by the writer's clock).
    final class BatchTime: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int64?
        var fixed: Int64? {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    /// The in-process projection did not run (the model is not where the batch starts).
    struct ProjectionSkipped: Error {}

    /// Texts every event of a batch repeats, made (and JSON-encoded) once.
    struct EventTexts {
        let plan: SubmissionDiff.Plan
        private let periodIndex = IntMap()
        var periodTexts: [String] = []
        var periodJSON: [ObservationEvent.EncodedText] = []
        private let releaseIndex = IntMap()
        var releaseTexts: [String] = []
        var releaseJSON: [ObservationEvent.EncodedText] = []
        let statusJSON = ObservationStatus.allCases.map { ObservationEvent.EncodedText($0.rawValue) }
        private var series: [(encoded: ObservationEvent.EncodedSeries, unit: ObservationEvent.EncodedText, unitText: String)?]

        init(plan: SubmissionDiff.Plan) {
            self.plan = plan
            series = Array(repeating: nil, count: plan.series.count)
        }

        /// The index of `s` in `ObservationStatus.allCases` (and `statusJSON`).
        func statusIndex(_ s: ObservationStatus) -> Int {
            ObservationStatus.allCases.firstIndex(of: s)!
        }

        /// The number of a period's text.
        mutating func period(_ p: Period) -> Int {
            let key = UInt64(UInt32(truncatingIfNeeded: p.firstMonth.ordinal)) << 32 | UInt64(UInt32(truncatingIfNeeded: p.lastMonth.ordinal))
            if let i = periodIndex.find(key) { return Int(i) }
            let text = p.description
            periodTexts.append(text)
            periodJSON.append(ObservationEvent.EncodedText(text))
            periodIndex.set(key, Int32(periodTexts.count - 1))
            return periodTexts.count - 1
        }

        /// The number of a release date's text.
        mutating func releaseDate(_ d: CalendarDate?) -> Int? {
            guard let d else { return nil }
            let key = UInt64(d.year * 10_000 + d.month * 100 + d.day)
            if let i = releaseIndex.find(key) { return Int(i) }
            let text = d.description
            releaseTexts.append(text)
            releaseJSON.append(ObservationEvent.EncodedText(text))
            releaseIndex.set(key, Int32(releaseTexts.count - 1))
            return releaseTexts.count - 1
        }

        /// The encoded parts of series `s`, and its unit (its indicator's: the same for every
        /// observation of the series, checked).
        mutating func encodedSeries(_ s: Int, unit: String) -> (encoded: ObservationEvent.EncodedSeries, unit: ObservationEvent.EncodedText) {
            if let known = series[s] {
                if known.unitText == unit { return (known.encoded, known.unit) }
                return (known.encoded, ObservationEvent.EncodedText(unit))
            }
            let identity = plan.series[s]
            let made = (ObservationEvent.EncodedSeries(indicator: identity.indicator, region: identity.region, dims: identity.dims),
                        ObservationEvent.EncodedText(unit), unit)
            series[s] = made
            return (made.0, made.1)
        }
    }

    /// Where a batch was projected before its append, uncommitted.
    enum PreparedProjection {
        /// In a transaction left open on the live model's connection.
        case live
        /// Into a new generation, to be switched to.
        case generation(GenerationBuild)
    }

    nonisolated(unsafe) private static var streamingMin = 4 << 20
    /// The smallest file projected while it is validated (tests lower it).
    static var streamingBytesMin: Int {
        get { bulkLock.withLock { streamingMin } }
        set { bulkLock.withLock { streamingMin = newValue } }
    }

    private static let bulkLock = NSLock()
    nonisolated(unsafe) private static var bulkMin = 50_000
    /// The fewest events a batch needs to be projected into a new generation (tests lower it).
    static var bulkEventsMin: Int {
        get { bulkLock.withLock { bulkMin } }
        set { bulkLock.withLock { bulkMin = newValue } }
    }

    /// Whether a batch of `events` is larger than the model (its file's pages): then a copy
    /// of the model and the batch cost less written once into a new generation than the
    /// batch does through the WAL (written there, then again into the file at the checkpoint).
    static func isBulk(events: Int, model db: Database) throws -> Bool {
        guard events >= bulkEventsMin else { return false }
        guard case .integer(let pages)? = try db.firstValue("PRAGMA page_count"),
              case .integer(let pageSize)? = try db.firstValue("PRAGMA page_size") else { return false }
        // About 230 bytes of model per observation event.
        return Int64(events) * 230 >= pages * pageSize
    }

    /// Projects the batch about to be appended straight from memory: the rows
    /// `ReadModel.catchUp` would write from the log, with the checkpoint, uncommitted: the
    /// caller commits once the batch is durable (or rolls back). Into the live model, or for
    /// a bulk batch into a copy of it that becomes a new generation. Throws
    /// `ProjectionSkipped`, leaving nothing open, when the model is not at the batch's start
    /// (e.g. behind after a crash) or the batch must go through the log.
    static func prepareProjection(first: UInt64, recordedAtMs: Int64, accepted: SubmissionAccepted, plan: SubmissionDiff.Plan,
                                  observations: [ValidatedObservation], texts: inout EventTexts, live db: Database,
                                  readModel: ReadModel, bulk: Bool) throws -> PreparedProjection {
        // The log keeps a dimension name's JSON escapes when it is read back (as the
        // decoder always has); such names, if a catalogue ever has one, go through the log.
        let escaped = plan.series.contains { s in
            s.dims.contains { d in d.name.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") } }
        }
        if escaped { throw ProjectionSkipped() }
        if bulk {
            let build = try GenerationBuild(copying: db, readModel: readModel)
            do {
                try projectUncommitted(first: first, recordedAtMs: recordedAtMs, accepted: accepted, plan: plan,
                                       observations: observations, texts: &texts, into: build.db!)
                // Durable already, but nobody's model until the batch is in the log.
                try build.commitAndSync()
            } catch {
                build.discard()
                throw error
            }
            return .generation(build)
        }
        try projectUncommitted(first: first, recordedAtMs: recordedAtMs, accepted: accepted, plan: plan,
                               observations: observations, texts: &texts, into: db)
        return .live
    }

    /// The batch's rows and checkpoint in a transaction left open (rolled back on error).
    static func projectUncommitted(first: UInt64, recordedAtMs: Int64, accepted: SubmissionAccepted, plan: SubmissionDiff.Plan,
                                   observations: [ValidatedObservation], texts: inout EventTexts, into db: Database) throws {
        try db.execute("BEGIN IMMEDIATE TRANSACTION")
        do {
            let checkpoint = try Projector.checkpoint(db)
            guard checkpoint + 1 == first else { throw ProjectionSkipped() }
            let projector = try Projector(db: db)
            projector.begin(checkpoint: checkpoint)
            projector.remembersKeys = false  // one flush, then the projector is gone
            let recordedAt = Timestamp.iso8601(ms: recordedAtMs)
            let recordedAtText = projector.text(recordedAt)
            try projector.insertAccepted(accepted, seq: first, recordedAt: recordedAt)
            var seriesIDs = [Int64?](repeating: nil, count: plan.series.count)
            var seq = first
            for d in plan.decisions {
                seq += 1
                let o = observations[Int(d.observation)]
                let s = Int(plan.seriesOfObservation[Int(d.observation)])
                let series: Int64
                if let id = seriesIDs[s] {
                    series = id
                } else {
                    let identity = plan.series[s]
                    series = try projector.seriesID(indicator: identity.indicator, region: identity.region, dims: identity.dims)
                    seriesIDs[s] = series
                }
                let period = texts.periodTexts[texts.period(o.period)]
                let release = texts.releaseDate(o.releaseDate).map { texts.releaseTexts[$0] }
                try projector.add(kind: d.kind, seq: seq, submission: first, series: series, period: period,
                                  value: d.kind == .retracted ? nil : o.value, unit: o.unit, status: o.status.rawValue,
                                  releaseDate: release, recordedAt: recordedAtText)
            }
            try projector.flush()
            try Projector.setCheckpoint(db, seq)
        } catch {
            try? db.execute("ROLLBACK TRANSACTION")
            throw error
        }
    }

    /// A new read-model generation made by an ingest: a copy of the live model (`VACUUM
    /// INTO`, a consistent snapshot) in `rm-NNNNNN.sqlite.ingest-<pid>`, written without a
    /// journal (it is nobody's model until it is switched to; a crash leaves a file the next
    /// ingest removes), then committed, fsynced, renamed into place and made current with
    /// the same atomic pointer switch as a rebuild.
    final class GenerationBuild: @unchecked Sendable {
        private(set) var db: Database?
        let path: String
        let generation: Int
        let readModel: ReadModel

        init(copying live: Database, readModel: ReadModel) throws {
            self.readModel = readModel
            generation = (readModel.current()?.generation ?? 0) + 1
            path = readModel.layout.readModelFile(generation: generation) + ".ingest-\(getpid())"
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
            try live.execute("VACUUM INTO ?", arguments: [.text(path)])
            let db = try Database(path: path, options: .init(readOnly: false, create: false, journalMode: .off, synchronous: .off))
            try db.execute("PRAGMA cache_size = -\(ReadModel.projectionCacheKiB)")
            self.db = db
        }

        /// Commits and makes the file durable (it is still nobody's model).
        func commitAndSync() throws {
            guard let db else { throw StoreError(.readModel, "the new read model generation is gone") }
            try db.execute("COMMIT TRANSACTION")
            self.db = nil  // closes it
            try ReadModel.fsyncFile(path)
        }

        /// Switches the live model to the generation (committed and synced first if not yet).
        func finish() throws {
            if db != nil { try commitAndSync() }
            let final = readModel.layout.readModelFile(generation: generation)
            guard rename(path, final) == 0 else {
                throw StoreError(.io, "cannot rename \(path): \(String(cString: strerror(errno)))")
            }
            try readModel.switchPointer(to: generation)
            readModel.removeGenerations(olderThan: generation - 1)
        }

        /// Drops the unfinished generation.
        func discard() {
            db = nil
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(path + suffix) }
        }
    }

    /// The projection of a submission made while its file is validated: the validator
    /// streams the valid rows in chunks; each chunk's events are decided at once on the
    /// validating thread (``SubmissionDiff`` against the live model, which nothing changes
    /// during the ingest), then a thread of its own writes their rows into a new generation
    /// of the model (a copy of it), flushing as it goes. Once the file is read, `plan` gives
    /// the events decided; `finish(with:)` gives the submission's payload, after which the
    /// thread writes the rest and the checkpoint, commits and syncs the file; `wait` gives
    /// the generation, to be switched to once the batch is in the log. `abandon` stops the
    /// thread and drops its work.
    final class StreamingProjection: @unchecked Sendable {
        /// Observations per chunk the validator sends.
        static let chunkObservations = 1 << 16
        /// Buffered rows that make the projector flush.
        static let flushRows = 1 << 18

        private struct Work {
            var observations: [ValidatedObservation]
            /// The series of each observation (index into the series streamed so far).
            var seriesOfObservation: [Int32]
            var offset: Int
            var decisions: [SubmissionDiff.Decision]
            var firstDecision: Int
            var newSeries: [SeriesIdentity]
        }

        private let condition = NSCondition()
        private var queue: [Work] = []
        private var inputEnded = false
        private var abandoned = false
        private var accepted: SubmissionAccepted?
        private var outcome: Result<PreparedProjection, Error>?
        private var cpu = 0.0
        private var running = true

        private let first: UInt64
        private let recordedAtMs: Int64
        private let file: String
        private let live: Database
        private let readModel: ReadModel
        /// The events decided so far (on the validating thread).
        private let diff: SubmissionDiff
        private var diffError: Error?
        private var offset = 0

        init(first: UInt64, recordedAtMs: Int64, file: String, live: Database, readModel: ReadModel) throws {
            self.first = first
            self.recordedAtMs = recordedAtMs
            self.file = file
            self.live = live
            self.readModel = readModel
            diff = try SubmissionDiff(db: live)
            // The copy of the model is made before the thread starts: the live connection is
            // the validating thread's from here on (for the decisions).
            let build = try GenerationBuild(copying: live, readModel: readModel)
            let thread = Thread { [self] in
                var a = timespec(), b = timespec()
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a)
                let result = Result { try self.run(build) }
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b)
                if case .failure = result { build.discard() }
                condition.withLock {
                    cpu = Double(b.tv_sec - a.tv_sec) + Double(b.tv_nsec - a.tv_nsec) / 1e9
                    outcome = result
                    running = false
                    condition.broadcast()
                }
            }
            thread.stackSize = 16 << 20
            thread.start()
        }

        /// A chunk from the validator (on the validating thread): its events are decided,
        /// then its rows go to the projecting thread.
        func take(_ chunk: ObservationStream.Chunk) {
            guard diffError == nil else { return }
            let before = diff.plan.decisions.count
            do {
                diff.add(series: chunk.newSeries)
                try diff.decide(chunk.observations, series: chunk.seriesOfObservation, file: file, unique: true)
            } catch {
                diffError = error
                return
            }
            let work = Work(observations: chunk.observations, seriesOfObservation: chunk.seriesOfObservation, offset: offset,
                            decisions: Array(diff.plan.decisions[before...]),
                            firstDecision: before, newSeries: chunk.newSeries)
            offset += chunk.observations.count
            condition.withLock {
                queue.append(work)
                condition.broadcast()
            }
        }

        /// The file is read: every row was streamed. The events decided, with the issues of
        /// the partial mode first.
        func plan(partialIssues: [ValidationIssue]) throws -> SubmissionDiff.Plan {
            if let diffError { throw diffError }
            condition.withLock {
                inputEnded = true
                condition.broadcast()
            }
            var plan = diff.plan
            plan.issues = partialIssues + plan.issues
            return plan
        }

        /// The submission's payload: the thread finishes the projection.
        func finish(with accepted: SubmissionAccepted) {
            condition.withLock {
                self.accepted = accepted
                condition.broadcast()
            }
        }

        /// Waits for the projection (committed into the new generation, not switched to);
        /// with the thread's CPU seconds.
        func wait() -> (Result<PreparedProjection, Error>, Double) {
            condition.withLock {
                while running { condition.wait() }
                return (outcome!, cpu)
            }
        }

        /// Stops the thread (if it still runs) and drops the generation.
        func abandon() {
            let outcome: Result<PreparedProjection, Error> = condition.withLock {
                abandoned = true
                condition.broadcast()
                while running { condition.wait() }
                return self.outcome!
            }
            if case .success(.generation(let build)) = outcome { build.discard() }
        }

        private func next() -> Work? {
            condition.withLock {
                while queue.isEmpty && !inputEnded && !abandoned { condition.wait() }
                if abandoned || queue.isEmpty { return nil }
                return queue.removeFirst()
            }
        }

        private func run(_ build: GenerationBuild) throws -> PreparedProjection {
            let db = build.db!
            try db.execute("BEGIN IMMEDIATE TRANSACTION")
            do {
                let checkpoint = try Projector.checkpoint(db)
                guard checkpoint + 1 == first else { throw ProjectionSkipped() }
                let projector = try Projector(db: db)
                projector.begin(checkpoint: checkpoint)
                projector.remembersKeys = false  // the file's keys do not repeat
                let recordedAt = Timestamp.iso8601(ms: recordedAtMs)
                let recordedAtText = projector.text(recordedAt)
                var series: [SeriesIdentity] = []
                var seriesIDs: [Int64?] = []
                var texts = EventTexts(plan: SubmissionDiff.Plan())
                var pending = 0
                var decided = 0
                while let work = next() {
                    series += work.newSeries
                    seriesIDs += repeatElement(nil, count: work.newSeries.count)
                    for (k, d) in zip(work.firstDecision..., work.decisions) {
                        let i = Int(d.observation) - work.offset
                        let o = work.observations[i]
                        let s = Int(work.seriesOfObservation[i])
                        let id: Int64
                        if let known = seriesIDs[s] {
                            id = known
                        } else {
                            id = try projector.seriesID(indicator: series[s].indicator, region: series[s].region, dims: series[s].dims)
                            seriesIDs[s] = id
                        }
                        let period = texts.periodTexts[texts.period(o.period)]
                        let release = texts.releaseDate(o.releaseDate).map { texts.releaseTexts[$0] }
                        try projector.add(kind: d.kind, seq: first + 1 + UInt64(k), submission: first, series: id, period: period,
                                          value: d.kind == .retracted ? nil : o.value, unit: o.unit, status: o.status.rawValue,
                                          releaseDate: release, recordedAt: recordedAtText)
                    }
                    decided += work.decisions.count
                    pending += work.decisions.count
                    if pending >= StreamingProjection.flushRows {
                        try projector.flush()
                        pending = 0
                    }
                }
                let payload: SubmissionAccepted? = condition.withLock {
                    while self.accepted == nil && !abandoned { condition.wait() }
                    return abandoned ? nil : self.accepted
                }
                guard let payload else { throw ProjectionSkipped() }
                try projector.insertAccepted(payload, seq: first, recordedAt: recordedAt)
                try projector.flush()
                try Projector.setCheckpoint(db, first + UInt64(decided))
            } catch {
                try? db.execute("ROLLBACK TRANSACTION")
                throw error
            }
            // Durable already, but nobody's model until the batch is in the log.
            try build.commitAndSync()
            return .generation(build)
        }
    }

    /// Removes generations that ingests killed midway left unfinished (their process is gone).
    func removeAbandonedBuilds() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.readModelDirectory) else { return }
        for name in names where name.hasPrefix("rm-") {
            guard let range = name.range(of: ".ingest-") else { continue }
            let digits = name[range.upperBound...].prefix(while: \.isNumber)
            if let pid = Int32(digits), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH {
                unlink(layout.readModelDirectory + "/" + name)
            }
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
