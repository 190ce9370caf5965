import Foundation
import PAMCore

/// Finds the JPEG files (`.jpg`/`.jpeg`, any case) among paths given on a command line,
/// descending into folders, for `pam import`.
public enum PhotoFiles {
    public struct Found: Sendable, Hashable {
        /// The path as the user would recognise it (the argument, or argument/relative/path).
        public var name: String
        public var url: URL
    }

    /// Every JPEG under `paths`, in a stable order (arguments in order, files sorted within
    /// folders). A named file is taken whatever its extension; hidden files in folders are skipped.
    public static func find(_ paths: [String]) throws -> [Found] {
        var found: [Found] = []
        var seen = Set<String>()
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
                throw PAMError(.notFound, "no such file or folder", path: path)
            }
            guard isFolder.boolValue else {
                if seen.insert(url.standardizedFileURL.path).inserted { found.append(Found(name: path, url: url)) }
                continue
            }
            guard
                let walker = FileManager.default.enumerator(
                    at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
            else { throw PAMError(.io, "cannot read the folder", path: path) }
            var inFolder: [Found] = []
            for case let file as URL in walker where PhotoKey.isJPEG(file.lastPathComponent) {
                guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let relative = String(file.standardizedFileURL.path.dropFirst(url.standardizedFileURL.path.count))
                    .trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                let name = (path as NSString).appendingPathComponent(relative)
                inFolder.append(Found(name: name, url: file))
            }
            for file in inFolder.sorted(by: { $0.name < $1.name }) where seen.insert(file.url.standardizedFileURL.path).inserted {
                found.append(file)
            }
        }
        return found
    }
}
