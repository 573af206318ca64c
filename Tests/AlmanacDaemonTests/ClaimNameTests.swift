import Testing
@testable import AlmanacDaemon

@Suite struct ModuleTests {
    @Test func moduleLinks() {
        #expect(String(describing: AlmanacDaemonModule.self) == "AlmanacDaemonModule")
    }
}
