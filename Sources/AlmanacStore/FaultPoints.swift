import Foundation
import Glibc

/// Named places where a crash test can make the process die on purpose: when the
/// environment variable `ALMANAC_FAULT` names the point, the process kills itself with
/// SIGKILL there (no cleanup, exactly like a power cut for the process). Unset in
/// production; the check is one dictionary lookup per ingest, not per row.
enum FaultPoints {
    static let active = ProcessInfo.processInfo.environment["ALMANAC_FAULT"]

    /// The points of `Store.export`, in the order an export passes them:
    /// `export-after-data` (data files written, no manifest yet), `export-before-rename`
    /// (manifest written, every file and the temporary directory fsynced, not renamed),
    /// `export-after-rename` (renamed into place, the parent not yet fsynced).
    static let exportPoints = ["export-after-data", "export-before-rename", "export-after-rename"]

    /// Dies here when `ALMANAC_FAULT` equals `name`.
    static func hit(_ name: String) {
        if active == name { kill(getpid(), SIGKILL) }
    }
}
