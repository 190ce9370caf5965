import Foundation

/// Where the benches keep their generated photos and states: `~/.cache/pam/<name>` unless told
/// otherwise, on the disk a user's state lives on, and marked as a top of directory hierarchies.
///
/// Creating files is part of what the benches time, and ext4 (without a journal, as here) skips
/// inodes freed in the last minutes: in a folder whose block group just lost thousands of files —
/// the previous run's state, or compilers' temporary files in `/tmp` — creating a file was measured
/// at 190–530 µs instead of 13–23 µs, which would be timed as PAM's. Not `/tmp` therefore (it may
/// also be a RAM disk); and the work folder gets ext4's top-directory flag (`chattr +T`), so that
/// each run's fresh state folder is placed in a block group of its own rather than beside the one
/// the previous run just deleted. Elsewhere the flag is not supported and nothing changes.
enum BenchWork {
    static func folder(_ name: String) -> String {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/pam/\(name)", isDirectory: true).path
    }

    /// Creates `path` (with its parents) and marks it as a top directory where the file system allows.
    static func prepare(_ path: String) throws -> URL {
        let url = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return url }
        defer { close(descriptor) }
        var flags: CInt = 0
        if ioctl(descriptor, getFlags, &flags) == 0, flags & topDirectory == 0 {
            flags |= topDirectory
            _ = ioctl(descriptor, setFlags, &flags)
        }
        return url
    }

    /// A new, empty state folder in `work` with a name of its own (`state-<UUID>`); the folders
    /// of earlier runs are removed once it exists.
    ///
    /// ext4 picks the block group of a new folder under a top directory from a hash of its name, so
    /// a fixed name put each run's state in the group of the previous run's, where (without a
    /// journal) every file created skips the recently freed inodes one by one: imported right
    /// after the old state was deleted, the 1,000 photos took 0.75–0.95 s in the kernel, against
    /// 0.26–0.33 s in a group of its own. Made before the old ones go, the new folder is not
    /// placed in their group.
    static func freshState(in work: URL) throws -> URL {
        let state = work.appendingPathComponent("state-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: work.path)
        where name.hasPrefix("state") && name != state.lastPathComponent {
            try? FileManager.default.removeItem(at: work.appendingPathComponent(name, isDirectory: true))
        }
        return state
    }

    /// `FS_IOC_GETFLAGS`, `FS_IOC_SETFLAGS` and `FS_TOPDIR_FL` of <linux/fs.h>.
    private static let getFlags: UInt = 0x8008_6601
    private static let setFlags: UInt = 0x4008_6602
    private static let topDirectory: CInt = 0x0002_0000
}
