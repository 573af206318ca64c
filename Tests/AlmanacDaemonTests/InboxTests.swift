import Foundation
import Glibc
import Testing
@testable import AlmanacDaemon

/// The inbox contract, with the clock passed in: what is taken, when, and in which order.
@Suite struct InboxTests {
    func makeInbox() throws -> (String, Inbox) {
        let root = NSTemporaryDirectory() + "almanac-inbox-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root + "/gso", withIntermediateDirectories: true)
        return (root, Inbox(root: root, settle: 2))
    }

    func write(_ path: String, _ text: String) {
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }

    @Test func aFileIsTakenOnlyOnceItsSizeHasSettled() throws {
        let (root, inbox) = try makeInbox()
        defer { try? FileManager.default.removeItem(atPath: root) }
        write(root + "/gso/a.csv", "x")
        var scan = inbox.scan(agencies: ["gso"], now: 100)
        #expect(scan.ready.isEmpty)
        #expect(scan.waiting == 1)
        #expect(scan.nextCheck == 102)
        scan = inbox.scan(agencies: ["gso"], now: 101.9)
        #expect(scan.ready.isEmpty)
        // Still being written: the clock starts again.
        write(root + "/gso/a.csv", "xy")
        scan = inbox.scan(agencies: ["gso"], now: 102.5)
        #expect(scan.ready.isEmpty)
        scan = inbox.scan(agencies: ["gso"], now: 104.5)
        #expect(scan.ready.map(\.name) == ["a.csv"])
        #expect(scan.ready.first?.agency == "gso")
    }

    @Test func aFileRenamedInIsCompleteAtOnce() throws {
        let (root, inbox) = try makeInbox()
        defer { try? FileManager.default.removeItem(atPath: root) }
        write(root + "/gso/.a.csv.tmp", "x")
        #expect(rename(root + "/gso/.a.csv.tmp", root + "/gso/a.csv") == 0)
        inbox.noteRenamedIn([root + "/gso/a.csv"])
        #expect(inbox.scan(agencies: ["gso"], now: 100).ready.map(\.name) == ["a.csv"])
    }

    @Test func partialNamesDotfilesSignaturesAndOddFilesAreNeverTaken() throws {
        let (root, inbox) = try makeInbox()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for name in [".hidden.csv", "a.csv.part", "b.csv.tmp", "c.csv~", "d.csv.partial", "e.csv.crdownload", "f.csv.sig", "~$g.xlsx"] {
            write(root + "/gso/" + name, "x")
        }
        #expect(symlink("/etc/passwd", root + "/gso/link.csv") == 0)
        #expect(mkfifo(root + "/gso/fifo.csv", 0o644) == 0)
        write(root + "/loose.csv", "x")
        try FileManager.default.createDirectory(atPath: root + "/nobody", withIntermediateDirectories: true)
        write(root + "/nobody/x.csv", "x")
        _ = inbox.scan(agencies: ["gso"], now: 100)
        let scan = inbox.scan(agencies: ["gso"], now: 200)
        #expect(scan.ready.isEmpty)
        #expect(scan.waiting == 0)
        let first = Inbox(root: root, settle: 2).scan(agencies: ["gso"], now: 100)
        #expect(first.notices.contains { $0.contains("link.csv: not a regular file") })
        #expect(first.notices.contains { $0.contains("fifo.csv: not a regular file") })
        #expect(first.notices.contains { $0.contains("loose.csv: files belong in an agency folder") })
        #expect(first.notices.contains { $0.contains("no registered agency \"nobody\"") })
        // Each notice once.
        #expect(inbox.scan(agencies: ["gso"], now: 300).notices.isEmpty)
    }

    @Test func filesAreTakenInTheOrderTheyArrived() throws {
        let (root, inbox) = try makeInbox()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/mof", withIntermediateDirectories: true)
        for (i, name) in ["z-first.csv", "a-second.csv", "m-third.csv"].enumerated() {
            let folder = i == 1 ? "/mof/" : "/gso/"
            write(root + folder + "." + name, "x")
            #expect(rename(root + folder + "." + name, root + folder + name) == 0)
            inbox.noteRenamedIn([root + folder + name])
            usleep(20_000)
        }
        #expect(inbox.scan(agencies: ["gso", "mof"], now: 100).ready.map(\.name) == ["z-first.csv", "a-second.csv", "m-third.csv"])
    }

    /// A daemon that starts finds `cpi.csv` already in the inbox (it must settle: nobody saw
    /// it renamed in), then the agency renames its correction in. The correction waits for
    /// the file it corrects instead of going first and being overwritten by it.
    @Test func aFileRenamedInWaitsForAnEarlierOneStillSettling() throws {
        let (root, inbox) = try makeInbox()
        defer { try? FileManager.default.removeItem(atPath: root) }
        write(root + "/gso/cpi.csv", "original")
        usleep(20_000)
        write(root + "/gso/.cpi-revised.csv", "correction")
        #expect(rename(root + "/gso/.cpi-revised.csv", root + "/gso/cpi-revised.csv") == 0)
        inbox.noteRenamedIn([root + "/gso/cpi-revised.csv"])
        var scan = inbox.scan(agencies: ["gso"], now: 100)
        #expect(scan.ready.isEmpty, "taken before the original settled: \(scan.ready.map(\.name))")
        #expect(scan.waiting == 2)
        scan = inbox.scan(agencies: ["gso"], now: 103)
        #expect(scan.ready.map(\.name) == ["cpi.csv", "cpi-revised.csv"])
        #expect(scan.waiting == 0)
    }
}
