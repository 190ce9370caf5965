import Foundation
import PAMCore

/// Reads the file-drop notifier's outbox: the messages delivered so far, newest first.
public struct OutboxFolder: Sendable {
    public struct Entry: Sendable, Hashable {
        /// The message id (the UUID in its file name).
        public var id: String
        /// "email" or "sms".
        public var channel: String
        public var file: URL
    }

    let folder: URL

    public init(state: StateDirectory) { folder = state.outbox }

    /// Messages newest first (file names start with their UTC time stamp).
    public func entries(limit: Int = 20) throws -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".eml") || $0.hasSuffix(".json") }.sorted(by: >).prefix(limit).compactMap { name in
            let stem = (name as NSString).deletingPathExtension
            guard stem.count > 37 else { return nil }
            return Entry(
                id: String(stem.suffix(36)), channel: name.hasSuffix(".eml") ? "email" : "sms",
                file: folder.appendingPathComponent(name))
        }
    }

    /// The message with this id: its bytes and media type.
    public func message(id: String) throws -> (data: Data, contentType: String)? {
        guard UUID(uuidString: id) != nil else { return nil }
        guard let entry = try entries(limit: .max).first(where: { $0.id == id.lowercased() }) else { return nil }
        let type = entry.channel == "email" ? "message/rfc822" : "application/json"
        return (try Data(contentsOf: entry.file), type)
    }
}
