import AlmanacDomain
import AlmanacIngest
import AlmanacLog
import AlmanacSQLite
import Foundation
import Glibc

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

/// The projection of an ingest made in this process (beside the append, or while the file
/// is validated), and the new read-model generations a large batch goes into.
extension Store {
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
        /// Distinct texts numbered in order of first use, each with its JSON encoding.
        struct Table {
            private let index = IntMap()
            private(set) var texts: [String] = []
            private(set) var json: [ObservationEvent.EncodedText] = []

            /// The number of the text whose key is `key` (`make` gives the text the first time).
            mutating func number(_ key: UInt64, _ make: () -> String) -> Int {
                if let i = index.find(key) { return Int(i) }
                let text = make()
                texts.append(text)
                json.append(ObservationEvent.EncodedText(text))
                index.set(key, Int32(texts.count - 1))
                return texts.count - 1
            }
        }

        /// The series of the events, by index (a plan's, or those streamed so far).
        private var identities: [SeriesIdentity]
        private(set) var periods = Table()
        private(set) var releases = Table()
        let statusJSON = ObservationStatus.allCases.map { ObservationEvent.EncodedText($0.rawValue) }
        private var series: [(encoded: ObservationEvent.EncodedSeries, unit: ObservationEvent.EncodedText, unitText: String)?]

        init(plan: SubmissionDiff.Plan) {
            identities = plan.series
            series = Array(repeating: nil, count: plan.series.count)
        }

        /// The identity of series `s`.
        func identity(_ s: Int) -> SeriesIdentity { identities[s] }

        /// More series, numbered after those known.
        mutating func add(series more: [SeriesIdentity]) {
            identities += more
            series += repeatElement(nil, count: more.count)
        }

        /// What the event of decision `d` (on observation `o` of series `s`) is written from.
        struct EventParts {
            var type: EventType
            var series: ObservationEvent.EncodedSeries
            var unit: ObservationEvent.EncodedText
            var period: ObservationEvent.EncodedText
            var status: ObservationEvent.EncodedText
            var release: ObservationEvent.EncodedText?
        }

        mutating func parts(_ d: SubmissionDiff.Decision, _ o: ValidatedObservation, series s: Int) -> EventParts {
            let period = period(o.period)
            let release = releaseDate(o.releaseDate)
            let series = encodedSeries(s, unit: o.unit)
            return EventParts(type: d.kind == .reported ? .observationReported : d.kind == .revised ? .observationRevised : .observationRetracted,
                              series: series.encoded, unit: series.unit, period: periods.json[period],
                              status: statusJSON[statusIndex(o.status)], release: release.map { releases.json[$0] })
        }

        /// Writes the payload of the event of decision `d`: the one writer of an ingested
        /// observation's event (the append's, and the streaming projection's ahead of it).
        static func write(_ p: EventParts, _ d: SubmissionDiff.Decision, _ o: ValidatedObservation,
                          previous: SubmissionDiff.Current?, submission: UInt64, to buffer: ByteBuffer) {
            ObservationEvent.write(submission: submission, series: p.series, period: p.period,
                                   value: d.kind == .retracted ? nil : o.value, unit: p.unit, status: p.status,
                                   releaseDate: p.release, previousValue: previous?.value,
                                   previousStatus: previous?.status, previousSubmission: previous?.submission, to: buffer)
        }

        /// The index of `s` in `ObservationStatus.allCases` (and `statusJSON`).
        func statusIndex(_ s: ObservationStatus) -> Int {
            ObservationStatus.allCases.firstIndex(of: s)!
        }

        /// The number of a period's text.
        mutating func period(_ p: Period) -> Int {
            let key = UInt64(UInt32(truncatingIfNeeded: p.firstMonth.ordinal)) << 32 | UInt64(UInt32(truncatingIfNeeded: p.lastMonth.ordinal))
            return periods.number(key) { p.description }
        }

        /// The number of a release date's text.
        mutating func releaseDate(_ d: CalendarDate?) -> Int? {
            guard let d else { return nil }
            return releases.number(UInt64(d.year * 10_000 + d.month * 100 + d.day)) { d.description }
        }

        /// The encoded parts of series `s`, and its unit (its indicator's: the same for every
        /// observation of the series, checked).
        mutating func encodedSeries(_ s: Int, unit: String) -> (encoded: ObservationEvent.EncodedSeries, unit: ObservationEvent.EncodedText) {
            if let known = series[s] {
                if known.unitText == unit { return (known.encoded, known.unit) }
                return (known.encoded, ObservationEvent.EncodedText(unit))
            }
            let identity = identities[s]
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
                // The number first: it may add the text the table is then read for.
                let periodNumber = texts.period(o.period)
                let period = texts.periods.texts[periodNumber]
                let release = texts.releaseDate(o.releaseDate).map { texts.releases.texts[$0] }
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
    /// during the ingest), then a thread of its own resolves their series and texts into
    /// rows for a new generation of the model (a copy of it). The rows are written once, in
    /// one flush sorted by key, when the file is read: agency files run period by period, so
    /// flushes along the way each touched every series' pages (measured on 1,000,000 rows:
    /// 7.4–8.8 CPU s for four flushes of 262,144 rows, 5.1–6.2 for one). Once the file is
    /// read, `plan` gives the events decided; `finish(with:)` gives the submission's
    /// payload, after which the thread writes the rows and the checkpoint, commits and syncs
    /// the file; `wait` gives the generation, to be switched to once the batch is in the
    /// log. `abandon` stops the thread and drops its work.
    final class StreamingProjection: @unchecked Sendable {
        /// Observations per chunk the validator sends.
        static let chunkObservations = 1 << 16

        private struct Work {
            var observations: [ValidatedObservation]
            /// The series of each observation (index into the series streamed so far).
            var seriesOfObservation: [Int32]
            var offset: Int
            var decisions: [SubmissionDiff.Decision]
            var firstDecision: Int
            var newSeries: [SeriesIdentity]
            /// The previous values the decisions refer to, from `Plan.previous[firstPrevious]`.
            var previous: [SubmissionDiff.Current]
            var firstPrevious: Int
        }

        private let condition = NSCondition()
        private var queue: [Work] = []
        private var inputEnded = false
        private var abandoned = false
        private var accepted: SubmissionAccepted?
        private var outcome: Result<PreparedProjection, Error>?
        /// The batch's observation events, written once every row was taken.
        private var encoded: EncodedEvents?
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

        /// The size of the file, from which the room for its events is guessed.
        private let fileBytes: Int

        init(first: UInt64, recordedAtMs: Int64, file: String, fileBytes: Int, live: Database, readModel: ReadModel) throws {
            self.first = first
            self.fileBytes = fileBytes
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
            let before = diff.plan.decisions.count, previousBefore = diff.plan.previous.count
            do {
                diff.add(series: chunk.newSeries)
                try diff.decide(chunk.observations, series: chunk.seriesOfObservation, file: file, unique: true)
            } catch {
                diffError = error
                return
            }
            let work = Work(observations: chunk.observations, seriesOfObservation: chunk.seriesOfObservation, offset: offset,
                            decisions: Array(diff.plan.decisions[before...]),
                            firstDecision: before, newSeries: chunk.newSeries,
                            previous: Array(diff.plan.previous[previousBefore...]), firstPrevious: previousBefore)
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

        /// The observation events of the batch (after `plan`): written by the thread as the
        /// rows came, numbered from the submission's sequence + 1 at the batch's time. Nil
        /// when the thread stopped first.
        func encodedEvents() -> EncodedEvents? {
            condition.withLock {
                while encoded == nil && running && !abandoned { condition.wait() }
                return encoded
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
                var seriesIDs: [Int64?] = []
                var texts = EventTexts(plan: SubmissionDiff.Plan())
                // The events, written here while the file is still being read rather than by
                // the append afterwards: this thread has little else to do until then.
                // Room for them at once (about 4 bytes of event per byte of native CSV; pages
                // are only used as they are written), rather than doubling hundreds of MB.
                let lines = EncodedEvents(firstSequence: first + 1, timeMs: recordedAtMs,
                                          capacity: min(max(fileBytes * 4, 1 << 20), 512 << 20))
                var decided = 0
                while let work = next() {
                    texts.add(series: work.newSeries)
                    seriesIDs += repeatElement(nil, count: work.newSeries.count)
                    for (k, d) in zip(work.firstDecision..., work.decisions) {
                        let i = Int(d.observation) - work.offset
                        let o = work.observations[i]
                        let s = Int(work.seriesOfObservation[i])
                        let id: Int64
                        if let known = seriesIDs[s] {
                            id = known
                        } else {
                            let identity = texts.identity(s)
                            id = try projector.seriesID(indicator: identity.indicator, region: identity.region, dims: identity.dims)
                            seriesIDs[s] = id
                        }
                        let periodNumber = texts.period(o.period)
                        let period = texts.periods.texts[periodNumber]
                        let release = texts.releaseDate(o.releaseDate).map { texts.releases.texts[$0] }
                        try projector.add(kind: d.kind, seq: first + 1 + UInt64(k), submission: first, series: id, period: period,
                                          value: d.kind == .retracted ? nil : o.value, unit: o.unit, status: o.status.rawValue,
                                          releaseDate: release, recordedAt: recordedAtText)
                        let parts = texts.parts(d, o, series: s)
                        let previous = d.previous >= 0 ? work.previous[Int(d.previous) - work.firstPrevious] : nil
                        lines.add(type: parts.type.rawValue) { EventTexts.write(parts, d, o, previous: previous, submission: first, to: $0) }
                    }
                    decided += work.decisions.count
                }
                let payload: SubmissionAccepted? = condition.withLock {
                    if !abandoned { encoded = lines }
                    condition.broadcast()
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
}
