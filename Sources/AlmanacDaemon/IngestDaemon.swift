import AlmanacDomain
import AlmanacLog
import AlmanacStore
import Foundation
import Glibc
import Logging

/// How the daemon watches its inbox.
public struct DaemonOptions: Sendable {
    /// A file whose size and modification time stay the same this long is complete (seconds).
    public var settleSeconds: Double = 2
    /// Rescan the inbox at least this often (seconds), inotify or not.
    public var pollSeconds: Double = 5
    /// Stop when the inbox is empty and nothing is claimed (for scripts and the demo).
    public var exitWhenIdle = false
    /// A failing file is retried this many times, then moved to `<store>/daemon/failed/`.
    public var attemptsMax = 3

    public init(settleSeconds: Double = 2, pollSeconds: Double = 5, exitWhenIdle: Bool = false) {
        self.settleSeconds = settleSeconds
        self.pollSeconds = pollSeconds
        self.exitWhenIdle = exitWhenIdle
    }
}

/// Work the daemon does besides ingest (scheduled exports): asked after every pass what is
/// due, and when it next wants to be woken.
public protocol DaemonSideWork: AnyObject, Sendable {
    /// Starts whatever is due at `now` (without blocking ingest for long).
    func runDue(now: Date)
    /// When something is next due.
    func nextWakeup(after now: Date) -> Date?
    /// For the status file.
    func statusEntries() -> [DaemonStatus.ExportRun]
    /// Waits for work in progress to finish (on stop).
    func drain()
}

public struct DaemonError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The ingest daemon: takes complete files from `<inbox>/<agency-id>/` one at a time in the
/// order they arrived, and for each: claim (rename into `<store>/daemon/processing/`) →
/// validate → append → project → archive or quarantine, exactly as `almanac ingest` does.
/// See `ClaimArea` for why a kill at any moment loses nothing and ingests nothing twice.
public final class IngestDaemon: @unchecked Sendable {
    public let store: Store
    public let storePath: String
    public let inboxPath: String
    public let options: DaemonOptions
    public var sideWork: DaemonSideWork?
    private let logger: Logger
    private let clock: @Sendable () -> Date
    private let watcher = InboxWatcher()
    private let inbox: Inbox
    private let claims: ClaimArea
    private var status = DaemonStatus()
    private var failures: [String: Int] = [:]
    private let stopLock = NSLock()
    private var stopRequested = false
    private var lockFD: Int32 = -1

    public init(storePath: String, inboxPath: String, options: DaemonOptions = DaemonOptions(), logger: Logger,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.storePath = storePath
        self.store = Store(path: storePath)
        self.inboxPath = inboxPath
        self.options = options
        self.logger = logger
        self.clock = clock
        self.inbox = Inbox(root: inboxPath, settle: options.settleSeconds)
        self.claims = ClaimArea(daemonDirectory: storePath + "/daemon")
        claims.inboxRoot = inboxPath
    }

    /// Asks the loop to stop after the file in hand (any thread; used for SIGTERM/SIGINT).
    public func requestStop() {
        stopLock.lock()
        stopRequested = true
        stopLock.unlock()
        watcher.wake()
    }

    private var stopping: Bool {
        stopLock.lock()
        defer { stopLock.unlock() }
        return stopRequested
    }

    /// Runs until `requestStop()` (or, with `exitWhenIdle`, until there is nothing to do).
    public func run() throws {
        try prepare()
        defer { shutDown() }
        // Files claimed by an earlier run that was killed are finished first.
        for claim in claims.pending() {
            if stopping { break }
            logger.notice("finishing a file claimed by an earlier run", metadata: ["agency": "\(claim.agency)", "file": "\(claim.name)", "claim": "\(claim.id)"])
            finish(claim)
        }
        var lastStatusWrite = 0.0
        while !stopping {
            let now = clock()
            let agencies = Set(((try? store.agencies()) ?? []).map(\.id))
            createAgencyFolders(agencies)
            watcher.watch(inboxPath)
            let scan = inbox.scan(agencies: agencies, now: now.timeIntervalSince1970)
            for folder in scan.folders { watcher.watch(folder) }
            for notice in scan.notices { logger.warning("\(notice)") }
            var processed = 0
            for file in scan.ready {
                if stopping { break }
                if take(file) { processed += 1 }
            }
            let remaining = scan.waiting + scan.ready.count - processed
            status.pending = max(0, remaining)
            status.lagSeconds = remaining > 0 ? max(0, now.timeIntervalSince1970 - (scan.oldestArrival ?? now.timeIntervalSince1970)) : 0
            sideWork?.runDue(now: clock())
            if processed > 0 || now.timeIntervalSince1970 - lastStatusWrite >= 5 {
                writeStatus()
                lastStatusWrite = now.timeIntervalSince1970
            }
            if processed > 0 { continue }
            if options.exitWhenIdle && scan.ready.isEmpty && scan.waiting == 0 && claims.pending().isEmpty {
                logger.info("inbox empty; stopping as asked (--exit-when-idle)")
                break
            }
            var wakeAt = now.timeIntervalSince1970 + options.pollSeconds
            if let next = scan.nextCheck { wakeAt = min(wakeAt, next) }
            if let next = sideWork?.nextWakeup(after: now) { wakeAt = min(wakeAt, next.timeIntervalSince1970) }
            let timeout = Int32(max(0, min(60_000, (wakeAt - clock().timeIntervalSince1970) * 1000)).rounded(.up))
            let (moved, _) = watcher.wait(timeoutMs: timeout)
            inbox.noteRenamedIn(moved)
        }
    }

    // MARK: - Start and stop

    private func prepare() throws {
        var inboxStat = stat(), storeStat = stat()
        guard stat(inboxPath, &inboxStat) == 0, inboxStat.st_mode & S_IFMT == S_IFDIR else {
            throw DaemonError("inbox \(inboxPath) is not a folder (create it, with one folder per agency inside)")
        }
        guard stat(storePath, &storeStat) == 0 else { throw DaemonError("store \(storePath) does not exist (run `almanac init`)") }
        guard inboxStat.st_dev == storeStat.st_dev else {
            throw DaemonError("inbox \(inboxPath) and store \(storePath) are on different file systems; files are taken by rename, so put them on the same one")
        }
        _ = try store.status() // refuses an uninitialised or damaged store with its own message
        try FileManager.default.createDirectory(atPath: storePath + "/daemon", withIntermediateDirectories: true)
        let lockPath = storePath + "/daemon/daemon.lock"
        lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockFD >= 0, flock(lockFD, LOCK_EX | LOCK_NB) == 0 else {
            let other = DaemonStatus.load(storePath: storePath)?.pid
            throw DaemonError("another daemon\(other.map { " (pid \($0))" } ?? "") already serves the store \(storePath)")
        }
        try claims.createDirectories()
        status = DaemonStatus.load(storePath: storePath) ?? DaemonStatus()
        status.pid = getpid()
        status.state = "running"
        status.inbox = inboxPath
        status.startedAt = stamp(clock())
        status.watching = watcher.usingInotify ? "inotify" : "poll"
        writeStatus()
        logger.info("daemon started", metadata: ["store": "\(storePath)", "inbox": "\(inboxPath)", "watching": "\(status.watching)",
                                                  "settle_s": "\(options.settleSeconds)", "poll_s": "\(options.pollSeconds)"])
    }

    private func shutDown() {
        sideWork?.drain()
        status.state = "stopped"
        writeStatus()
        if lockFD >= 0 { close(lockFD); lockFD = -1 }
        logger.info("daemon stopped", metadata: ["accepted": "\(status.files.accepted)", "duplicate": "\(status.files.duplicate)",
                                                  "rejected": "\(status.files.rejected)", "failed": "\(status.files.failed)"])
    }

    private func createAgencyFolders(_ agencies: Set<String>) {
        for id in agencies where access(inboxPath + "/" + id, F_OK) != 0 {
            mkdir(inboxPath + "/" + id, 0o775)
        }
    }

    // MARK: - One file

    /// Claims and ingests one inbox file; false when it vanished or could not be claimed.
    private func take(_ file: InboxFile) -> Bool {
        let head: UInt64
        do {
            // A lower bound for this claim's submission: the sequence after the last whole batch.
            head = try LogReader(path: storePath + "/log").headSequence()
        } catch {
            recordError("cannot read the log head: \(error)")
            return false
        }
        let claim: Claim
        do {
            guard let c = try claims.claim(file, logHead: head, now: clock()) else {
                inbox.forget(file.path)
                return false
            }
            claim = c
        } catch {
            recordError("\(error)")
            return false
        }
        inbox.forget(file.path)
        DaemonFaults.hit("daemon-after-claim")
        finish(claim)
        return true
    }

    /// Ingests a claimed file (unless an earlier run already did), counts it once, removes the claim.
    private func finish(_ claim: Claim) {
        var outcome = claims.outcome(of: claim)
        if outcome == nil {
            do {
                let done = try findInLog(claim) ?? ingest(claim)
                try claims.record(done, for: claim)
                DaemonFaults.hit("daemon-after-outcome")
                outcome = done
            } catch let error as LogError where error.isLocked {
                logger.info("store busy (another writer holds the lock); will retry", metadata: ["file": "\(claim.name)", "agency": "\(claim.agency)"])
                return
            } catch {
                let attempts = (failures[claim.id] ?? 0) + 1
                failures[claim.id] = attempts
                recordError("\(claim.agency)/\(claim.name): \(error)")
                guard attempts >= options.attemptsMax else { return }
                do {
                    let target = try claims.park(claim, error: "\(error)")
                    failures[claim.id] = nil
                    count(ClaimOutcome(kind: .failed, message: "\(error)"), claim: claim)
                    logger.error("failed", metadata: ["agency": "\(claim.agency)", "file": "\(claim.name)", "claim": "\(claim.id)",
                                                      "attempts": "\(attempts)", "moved_to": "\(target)", "error": "\(error)"])
                } catch {
                    recordError("cannot move the failed claim \(claim.id) aside: \(error)")
                }
                return
            }
        }
        guard let outcome else { return }
        count(outcome, claim: claim)
        DaemonFaults.hit("daemon-after-count")
        do {
            try claims.finish(claim)
        } catch {
            recordError("cannot remove the finished claim \(claim.id): \(error)")
        }
    }

    private func ingest(_ claim: Claim) throws -> ClaimOutcome {
        let request = IngestRequest(path: claims.dataPath(claim), agency: claim.agency,
                                    signaturePath: claim.signed ? claims.signaturePath(claim) : nil,
                                    displayName: claim.name, claim: claim.id)
        switch try store.ingest(request) {
        case let .accepted(submission, counts, _, sha256):
            return ClaimOutcome(kind: .accepted, submission: submission, sha256: sha256, rows: counts.rows, reported: counts.reported,
                                revised: counts.revised, unchanged: counts.unchanged, retracted: counts.retracted)
        case let .duplicate(of, _, sha256):
            return ClaimOutcome(kind: .duplicate, submission: of, sha256: sha256)
        case let .rejected(submission, issues, _, quarantine, _, sha256):
            let relative = quarantine.hasPrefix(storePath + "/") ? String(quarantine.dropFirst(storePath.count + 1)) : quarantine
            return ClaimOutcome(kind: .rejected, submission: submission, sha256: sha256, quarantine: relative,
                                message: issues.first.map(\.description))
        }
    }

    /// The outcome of a claim an earlier run ingested but did not get to record.
    private func findInLog(_ claim: Claim) throws -> ClaimOutcome? {
        let reader = try LogReader(path: storePath + "/log")
        let cursor = try reader.cursor(from: claim.logHead)
        var found: ClaimOutcome?
        while found == nil, let batch = try cursor.next() {
            try batch.forEachEventView(from: claim.logHead) { view in
                guard found == nil else { return }
                if view.isType("SubmissionAccepted") {
                    let p = try PayloadCoding.decode(SubmissionAccepted.self, from: view.data)
                    if p.claim == claim.id {
                        found = ClaimOutcome(kind: .accepted, submission: view.sequence, sha256: p.sha256, rows: p.rows, reported: p.reported,
                                             revised: p.revised, unchanged: p.unchanged, retracted: p.retracted)
                    }
                } else if view.isType("SubmissionRejected") {
                    let p = try PayloadCoding.decode(SubmissionRejected.self, from: view.data)
                    if p.claim == claim.id {
                        found = ClaimOutcome(kind: .rejected, submission: view.sequence, sha256: p.sha256, quarantine: p.quarantine,
                                             message: p.issues.first)
                    }
                }
            }
        }
        return found
    }

    /// Counts an outcome once per claim, logs its line, writes the status.
    private func count(_ outcome: ClaimOutcome, claim: Claim) {
        guard status.lastClaim != claim.id else { return }
        switch outcome.kind {
        case .accepted: status.files.accepted += 1
        case .duplicate: status.files.duplicate += 1
        case .rejected: status.files.rejected += 1
        case .failed: status.files.failed += 1
        }
        status.observations.reported += outcome.reported
        status.observations.revised += outcome.revised
        status.observations.unchanged += outcome.unchanged
        status.observations.retracted += outcome.retracted
        status.lastClaim = claim.id
        status.lastFile = DaemonStatus.LastFile(agency: claim.agency, name: claim.name, outcome: outcome.kind.rawValue,
                                                at: stamp(clock()), claim: claim.id, submission: outcome.submission)
        var metadata: Logger.Metadata = ["agency": "\(claim.agency)", "file": "\(claim.name)", "claim": "\(claim.id)"]
        if let s = outcome.submission { metadata["submission"] = "\(s)" }
        switch outcome.kind {
        case .accepted:
            metadata["rows"] = "\(outcome.rows)"
            metadata["reported"] = "\(outcome.reported)"
            metadata["revised"] = "\(outcome.revised)"
            metadata["unchanged"] = "\(outcome.unchanged)"
            metadata["retracted"] = "\(outcome.retracted)"
            logger.info("accepted", metadata: metadata)
        case .duplicate:
            logger.info("duplicate", metadata: metadata)
        case .rejected:
            metadata["quarantine"] = "\(outcome.quarantine ?? "")"
            metadata["reason"] = "\(outcome.message ?? "")"
            logger.warning("rejected", metadata: metadata)
        case .failed:
            break
        }
        writeStatus()
    }

    private func recordError(_ message: String) {
        status.lastError = DaemonStatus.LastError(at: stamp(clock()), message: message)
        logger.error("\(message)")
        writeStatus()
    }

    private func writeStatus() {
        status.updatedAt = stamp(clock())
        if let work = sideWork { status.exports = work.statusEntries() }
        do {
            try status.write(storePath: storePath)
        } catch {
            logger.error("cannot write the status file: \(error)")
        }
    }

    private func stamp(_ date: Date) -> String {
        Timestamp.iso8601(ms: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}

extension LogError {
    /// Another process (an `almanac ingest`) holds the writer lock: try again later.
    var isLocked: Bool {
        if case .locked = kind { return true }
        return false
    }
}
