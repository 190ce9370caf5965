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
            var inFolder: [Found] = []
            try walk(url.path, relative: "") { relative, file in
                inFolder.append(Found(name: (path as NSString).appendingPathComponent(relative), url: file))
            }
            for file in inFolder.sorted(by: { $0.name < $1.name }) where seen.insert(file.url.standardizedFileURL.path).inserted {
                found.append(file)
            }
        }
        return found
    }

    /// Calls `found` with every regular JPEG file under `folder` (relative path, URL), descending
    /// into sub-folders but not into links to folders, skipping hidden names. One `lstat` per
    /// entry (a `stat` more for a link), nothing else: no attributes or owner names are fetched.
    private static func walk(_ folder: String, relative: String, _ found: (String, URL) throws -> Void) throws {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw PAMError(.io, "cannot read the folder", path: folder, underlying: error)
        }
        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            let inside = relative.isEmpty ? name : relative + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR: try walk(path, relative: inside, found)
            case S_IFREG where PhotoKey.isJPEG(name): try found(inside, URL(fileURLWithPath: path, isDirectory: false))
            case S_IFLNK where PhotoKey.isJPEG(name):
                // A link is taken when it leads to a regular file, as the file itself would be.
                guard stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
                try found(inside, URL(fileURLWithPath: path, isDirectory: false))
            default: continue
            }
        }
    }
}
