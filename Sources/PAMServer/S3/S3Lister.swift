import Foundation
import PAMCore

/// ListObjectsV2 over an `ObjectStore`: prefix, delimiter (keys rolled up into common prefixes),
/// max-keys, start-after and continuation tokens, whatever the store's own paging.
///
/// The token PAM hands out names the store page to resume from and the last entry (key or common
/// prefix) already answered; the next request lists that store page again and skips every entry
/// up to it. Entries come in byte order of their UTF-8, as S3 orders keys. A common prefix's keys
/// are walked to roll them up, so its cost is the number of keys under it.
struct S3Lister: Sendable {
    let store: any ObjectStore
    /// Keys asked of the store per call.
    var storePageSize = 1000

    /// Where a listing resumes: the store's page token and the last entry answered.
    private struct Resume: Codable {
        var store: String?
        var after: String
    }

    func page(_ request: S3ListRequest) async throws -> S3ListPage {
        var storeToken: String?
        var after = request.startAfter
        if let token = request.continuationToken {
            let resume = try Self.decode(token)
            storeToken = resume.store
            after = resume.after
        }
        var page = S3ListPage()
        guard request.maxKeys > 0 else { return page }
        var count = 0
        while true {
            let stored = try await store.list(
                bucket: request.bucket, prefix: request.prefix, continuationToken: storeToken, maxKeys: storePageSize)
            for object in stored.objects {
                let key = object.ref.key
                let rolledUp = commonPrefix(of: key, request)
                let entry = rolledUp ?? key
                if let after, !after.utf8.lexicographicallyPrecedes(entry.utf8) { continue }
                if count == request.maxKeys {
                    page.nextContinuationToken = try Self.encode(Resume(store: storeToken, after: after ?? ""))
                    return page
                }
                if let rolledUp { page.commonPrefixes.append(rolledUp) } else { page.objects.append(object) }
                count += 1
                after = entry
            }
            guard let next = stored.continuationToken else { return page }
            storeToken = next
        }
    }

    /// The common prefix `key` rolls up into: the request's prefix and what follows up to the
    /// first delimiter, delimiter included; nil when there is no delimiter after the prefix.
    private func commonPrefix(of key: String, _ request: S3ListRequest) -> String? {
        guard let delimiter = request.delimiter else { return nil }
        let bytes = Array(key.utf8)
        let prefix = Array(request.prefix.utf8)
        let mark = Array(delimiter.utf8)
        guard bytes.starts(with: prefix), !mark.isEmpty, bytes.count >= prefix.count + mark.count else { return nil }
        for start in prefix.count...(bytes.count - mark.count) where bytes[start..<start + mark.count].elementsEqual(mark) {
            return String(decoding: bytes[..<(start + mark.count)], as: UTF8.self)
        }
        return nil
    }

    private static func encode(_ resume: Resume) throws -> String {
        try JSONEncoder().encode(resume).base64EncodedString()
    }

    private static func decode(_ token: String) throws -> Resume {
        guard let data = Data(base64Encoded: token), let resume = try? JSONDecoder().decode(Resume.self, from: data) else {
            throw S3Error.invalidArgument("The continuation token provided is incorrect", name: "continuation-token", value: token)
        }
        return resume
    }
}
