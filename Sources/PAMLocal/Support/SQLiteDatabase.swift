import Foundation
import GRDB
import PAMCore

/// Opens PAM's SQLite files one way: WAL (a `DatabasePool`), `synchronous = NORMAL`, a 10 s busy
/// time-out, the parent folder created, the schema brought up to date by `migrations`. A failure
/// is a `PAMError` of `code` naming the file.
enum SQLiteDatabase {
    static func open(
        _ path: URL, what: String, code: PAMError.Code,
        migrations: (inout DatabaseMigrator) -> Void
    ) throws -> DatabasePool {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            let pool = try DatabasePool(path: path.path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrations(&migrator)
            try migrator.migrate(pool)
            return pool
        } catch {
            throw PAMError(code, "cannot open \(what)", path: path.path, underlying: error)
        }
    }
}
