import Foundation
import Logging
import ServiceLifecycle

/// The daemon as a swift-service-lifecycle `Service`: SIGTERM or SIGINT asks it to finish
/// the file in hand and stop. The inbox loop blocks in poll(2), so it runs on its own thread.
public struct DaemonService: Service {
    let daemon: IngestDaemon

    public init(daemon: IngestDaemon) { self.daemon = daemon }

    public func run() async throws {
        let daemon = self.daemon
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let thread = Thread {
                    do {
                        try daemon.run()
                        continuation.resume()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "almanac-daemon"
                thread.start()
            }
        } onGracefulShutdown: {
            daemon.requestStop()
        }
    }

    /// Runs the daemon until SIGTERM/SIGINT (or until idle, with `exitWhenIdle`).
    public static func runUntilSignalled(_ daemon: IngestDaemon, logger: Logger) async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [ServiceGroupConfiguration.ServiceConfiguration(service: DaemonService(daemon: daemon),
                                                                      successTerminationBehavior: .gracefullyShutdownGroup,
                                                                      failureTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}
