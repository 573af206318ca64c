import AlmanacDaemon
import Logging

extension DaemonCommand {
    /// The configuration file, when given (its errors are usage errors: exit 2).
    func loadSchedules() throws -> DaemonConfiguration? {
        guard let config else { return nil }
        do {
            return try DaemonConfiguration.load(path: config)
        } catch {
            throw CommandFailure(message: "\(error)", status: 2)
        }
    }

    func attachSchedules(_ configuration: DaemonConfiguration?, to daemon: IngestDaemon, logger: Logger) throws {
        guard let configuration, !configuration.exports.isEmpty else { return }
        daemon.sideWork = try ScheduledExports(configuration: configuration, store: daemon.store, storePath: daemon.storePath, logger: logger)
    }
}
