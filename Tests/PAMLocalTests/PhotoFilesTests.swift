import Foundation
import PAMLocal
import Testing

@Suite("PhotoFiles")
struct PhotoFilesTests {
    @Test("a folder gives its JPEGs, sub-folders included, sorted; hidden names, other files and links to folders are left out")
    func walk() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pam-photofiles-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = ["b.jpg", "A.JPEG", "notes.txt", ".hidden.jpg", "trip/c.jpg", "trip/deep/d.Jpg", ".secret/e.jpg", "folder.jpg/f.jpg"]
        for file in files {
            let url = root.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data([0xFF, 0xD8]).write(to: url)
        }
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("link.jpg").path, withDestinationPath: "b.jpg")
        try FileManager.default.createSymbolicLink(atPath: root.appendingPathComponent("loop").path, withDestinationPath: ".")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("dangling.jpg").path, withDestinationPath: "gone.jpg")
        let found = try PhotoFiles.find([root.path])
        let names = found.map { String($0.name.dropFirst(root.path.count + 1)) }
        #expect(names == ["A.JPEG", "b.jpg", "folder.jpg/f.jpg", "link.jpg", "trip/c.jpg", "trip/deep/d.Jpg"])
        for file in found { #expect(FileManager.default.fileExists(atPath: file.url.path)) }
        // A named file is taken whatever its extension, once however often it is named.
        let named = try PhotoFiles.find([root.appendingPathComponent("notes.txt").path, root.appendingPathComponent("notes.txt").path])
        #expect(named.count == 1)
    }
}
