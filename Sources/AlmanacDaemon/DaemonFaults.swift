import Foundation
import Glibc

/// The daemon's places for crash tests to die on purpose (as `FaultPoints` in the store):
/// when `ALMANAC_FAULT` names one, the process SIGKILLs itself there.
/// `daemon-after-claim` (file renamed into the claim, not ingested), `daemon-after-outcome`
/// (ingested and `outcome.json` written, not counted), `daemon-after-count` (counted in the
/// status file, claim not removed). The store's `after-archive` and `after-append` apply too.
enum DaemonFaults {
    static let active = ProcessInfo.processInfo.environment["ALMANAC_FAULT"]

    static func hit(_ name: String) {
        if active == name { kill(getpid(), SIGKILL) }
    }
}
