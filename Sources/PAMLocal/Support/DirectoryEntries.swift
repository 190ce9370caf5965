import Foundation

/// A folder's entries counted without building their names (a bucket's folder may hold a
/// hundred thousand version files).
enum DirectoryEntries {
    /// The number of entries of the folder at `path` other than `.` and `..`; 0 when it cannot be read.
    static func count(at path: String) -> Int {
        guard let folder = opendir(path) else { return 0 }
        defer { closedir(folder) }
        var count = 0
        while let entry = readdir(folder) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count
    }
}
