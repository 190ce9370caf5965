import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// The web page in headless Chromium, driven by Selenium (Tests/browser/web_page_test.py).
@Suite("web page")
struct BrowserTests {
    @Test("sign in, upload, tag counts, download request and delivered message, in a real browser")
    func webPage() async throws {
        let server = try ServerProcess()
        defer { try? FileManager.default.removeItem(at: server.state.deletingLastPathComponent()) }
        // A hostile label name, already in the table: the page must show it as text.
        let hostile = "<img src=x onerror=\"window.pwned=1\">"
        try FileManager.default.createDirectory(at: server.state, withIntermediateDirectories: true)
        try await SQLiteLabelTable(path: StateDirectory(server.state).itemStore).record(imageKey: "seeded.jpg", labels: [hostile])
        try await server.start()

        let photos = Array(ServeTests.photos.prefix(6))
        var expected = try ServeTests.expectedCounts(photos)
        expected[hostile] = 1
        let labels = String(decoding: try JSONSerialization.data(withJSONObject: expected), as: UTF8.self)
        let script = CLITests.packageRoot.appendingPathComponent("Tests/browser/web_page_test.py").path
        let run = try await ExternalProcess.run(["python3", script, server.base, labels] + photos.map(\.path))
        #expect(run.status == 0, "\(run.output)\(run.errors)\n--- server log ---\n\(server.log())")
        #expect(run.output.contains("web page test passed"))
        try await server.stop()
    }
}
