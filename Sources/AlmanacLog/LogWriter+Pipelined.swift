import Glibc

/// A batch written but perhaps not yet durable; `LogWriter.waitDurable` blocks until its
/// own fsync has completed.
public struct AppendTicket: Sendable {
    public let result: AppendResult
    let batch: UInt64
}

/// Pipelined appends: the batch is written at once and fsynced by a background thread, so
/// the caller can encode and compress the next batch while the disk works — the way the
/// zstd CLI overlaps its I/O. Every batch still gets an fsync of its own, issued after its
/// write, and is acknowledged (by `waitDurable`) only after that fsync returned. A failed
/// fsync stops the writer for good, exactly as in `append`.
final class BackgroundSync: @unchecked Sendable {
    private let condition = Condition()
    private var queue: [(batch: UInt64, fd: Int32, path: String, keep: AnyObject)] = []
    private var synced: UInt64 = 0
    private var failure: LogError?
    private var stopping = false
    private var thread: pthread_t?
    private let io: FileIO

    init(io: FileIO) { self.io = io }

    /// Hands a written batch to the background thread (starting it on first use).
    func enqueue(batch: UInt64, fd: Int32, path: String, keep: AnyObject) {
        condition.withLock {
            queue.append((batch, fd, path, keep))
            if thread == nil { start() }
            condition.broadcast()
        }
    }

    /// Blocks until `batch` is fsynced; throws the fsync failure if one happened.
    func wait(for batch: UInt64) throws {
        try condition.withLock {
            while synced < batch && failure == nil { condition.wait() }
            if let failure { throw failure }
        }
    }

    var failed: LogError? { condition.withLock { failure } }

    /// Waits for everything queued, then stops the thread.
    func drain() {
        condition.withLock {
            while !queue.isEmpty && failure == nil { condition.wait() }
            stopping = true
            condition.broadcast()
        }
        if let t = thread { pthread_join(t, nil) }
        thread = nil
        condition.withLock { stopping = false }
    }

    private func start() {
        let box = Unmanaged.passRetained(self)
        var t = pthread_t()
        pthread_create(&t, nil, { raw in
            let sync = Unmanaged<BackgroundSync>.fromOpaque(raw!).takeRetainedValue()
            sync.run()
            return nil
        }, box.toOpaque())
        thread = t
    }

    private func run() {
        while true {
            var item: (batch: UInt64, fd: Int32, path: String, keep: AnyObject)?
            condition.withLock {
                while queue.isEmpty && !stopping { condition.wait() }
                item = queue.first
            }
            guard let item else { return }
            var problem: LogError?
            do { try io.fsync(item.fd, path: item.path) } catch { problem = LogError.wrap(error) }
            condition.withLock {
                queue.removeFirst()
                if let problem { failure = problem; queue.removeAll() } else { synced = item.batch }
                condition.broadcast()
            }
            if problem != nil { return }
        }
    }
}
