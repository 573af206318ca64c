import AlmanacDaemon
import Logging

extension DaemonCommand {
    struct Schedules {
        var settleSeconds: Double?
        var pollSeconds: Double?
    }

    func loadSchedules() throws -> Schedules? {
        guard config == nil else { throw CommandFailure(message: "--config: not wired yet", status: 2) }
        return nil
    }

    func attachSchedules(_ schedules: Schedules?, to daemon: IngestDaemon, logger: Logger) throws {}
}
