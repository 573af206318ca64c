import Foundation

/// Atomic replacement of the state file through ``AtomicFile``: a temporary file beside it,
/// fsync, rename over the old one, fsync of the folder. A crash at any point leaves the old
/// file or the new one; a failure leaves the old one and no temporary file.
extension ScheduleState {
    static func replace(_ path: String, with bytes: [UInt8]) throws(ScheduleStateError) {
        do {
            try AtomicFile.write(bytes, to: path)
        } catch {
            throw ScheduleStateError(path: path, reason: "cannot save: \(error)")
        }
    }

    /// fsyncs the folder `path` is in, so that a file created or renamed there survives a crash.
    static func syncFolder(of path: String) throws(ScheduleStateError) {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try AtomicFile.syncDirectory(folder)
        } catch {
            throw ScheduleStateError(path: path, reason: "cannot save: \(error)")
        }
    }
}
