import Foundation
import PAMCore

/// Where a running `pam serve` listens, recorded in its state folder (`serve.json`) once the
/// port is bound — the port it was given, or the one the system picked for `--port 0` — and
/// removed when it shuts down cleanly. `pam token` reads it to mint tokens for that server, and
/// tests read it to find a server they started on port 0.
struct ServeRecord: Codable, Equatable {
    var host: String
    var port: Int
    /// The AWS endpoint's port, when it listens.
    var awsPort: Int?
    /// The base URL of presigned links and the tokens' issuer.
    var baseURL: String
    var pid: Int32

    static func file(in state: URL) -> URL { state.appendingPathComponent("serve.json") }

    /// Writes the record whole (a temporary file renamed into place), so readers never see half.
    func write(to state: URL) throws {
        let destination = Self.file(in: state)
        let temporary = state.appendingPathComponent(".serve-\(UUID().uuidString).json")
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(self).write(to: temporary)
            guard rename(temporary.path, destination.path) == 0 else {
                throw PAMError(.io, "cannot move serve.json into place: \(String(cString: strerror(errno)))", path: destination.path)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            if let error = error as? PAMError { throw error }
            throw PAMError(.io, "cannot write serve.json", path: destination.path, underlying: error)
        }
    }

    /// The record in `state`, when there is one and its process is still alive.
    static func running(in state: URL) -> ServeRecord? {
        guard let data = try? Data(contentsOf: file(in: state)), let record = try? JSONDecoder().decode(ServeRecord.self, from: data),
            record.pid > 0, kill(record.pid, 0) == 0 || errno == EPERM
        else { return nil }
        return record
    }

    /// Removes the record if it is this process's (a newer server may have replaced it).
    static func remove(in state: URL, pid: Int32 = getpid()) {
        guard let data = try? Data(contentsOf: file(in: state)), let record = try? JSONDecoder().decode(ServeRecord.self, from: data),
            record.pid == pid
        else { return }
        try? FileManager.default.removeItem(at: file(in: state))
    }
}
