import Foundation
import PAMCore

/// The package's `Fixtures/` folder, found by walking up from this source file, so tests never
/// depend on the working directory.
public enum FixtureFiles {
    /// `Fixtures/`, or nil when it cannot be found above this file.
    public static let root: URL? = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("Fixtures")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("photos").path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }()

    /// The `.jpg` files in `Fixtures/<folder>`, sorted by name (empty when the folder is missing).
    public static func jpegs(in folder: String) -> [URL] {
        guard let root else { return [] }
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".jpg") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The bytes of `Fixtures/<folder>/<name>`.
    public static func data(_ folder: String, _ name: String) throws -> Data {
        guard let root else { throw PAMError(.notFound, "the Fixtures folder was not found above \(#filePath)") }
        let url = root.appendingPathComponent(folder).appendingPathComponent(name)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw PAMError(.io, "cannot read the fixture", path: url.path, underlying: error)
        }
    }

    /// The ground truth of `Fixtures/photos/labels.json`: file name → labels.
    public static func photoTruth() throws -> [String: Set<String>] {
        struct File: Decodable {
            struct Image: Decodable {
                let file: String
                let labels: [String]
            }
            let images: [Image]
        }
        let file = try JSONDecoder().decode(File.self, from: data("photos", "labels.json"))
        return Dictionary(uniqueKeysWithValues: file.images.map { ($0.file, Set($0.labels)) })
    }
}
