import Foundation
import Hummingbird
import PAMCore

/// The reference frontend's API: `GET /api/labels`, `PUT /api/upload`, `POST /api/download`
/// (and `GET /api/status`, the analysis backlog). Registered behind `BearerAuthenticationMiddleware`,
/// so every route has the signed-in user in its context.
package struct APIRoutes: Sendable {
    let labels: LabelsService
    let upload: UploadService
    /// Which labels exist and carry photos, checked before a bundle is queued.
    let table: any LabelTable
    let analysisQueue: AnalysisQueue
    let downloads: DownloadQueue
    let maxJSONBytes: Int

    func register(on router: some RouterMethods<PAMRequestContext>) {
        let api = router.group("api")
        api.get("labels") { _, _ in try await listLabels() }
        api.put("upload") { request, _ in try await presignUpload(request) }
        api.post("download") { request, context in try await requestDownload(request, user: try context.requireIdentity()) }
        api.get("status") { _, _ in await status() }
    }

    func listLabels() async throws -> Response {
        .json(JSONText.labels(try await labels.labels()))
    }

    func presignUpload(_ request: Request) async throws -> Response {
        let body = try await Self.jsonObject(request, limit: maxJSONBytes)
        let fileName = try Self.fileName(body)
        let (_, url) = try await upload.presignUpload(fileName: fileName)
        // Written directly (JSONText), not through JSONSerialization: this answers every upload.
        return .json("{\"url\":\(JSONText.quoted(url.absoluteString))}")
    }

    func requestDownload(_ request: Request, user: UserIdentity) async throws -> Response {
        // A full queue answers before any query is made for the request.
        guard await downloads.hasRoom else { throw Self.downloadsBusy }
        let body = try await Self.jsonObject(request, limit: maxJSONBytes)
        let names = try Self.labelNames(body)
        let recipient = try Self.recipient(body, user: user)
        // Only labels that exist: a request cannot carry text of its own into the message.
        let known = Set(try await table.allLabels().map(\.label))
        if let unknown = names.first(where: { !known.contains($0.trimmingCharacters(in: .whitespaces)) }) {
            throw ServerError.badRequest("field 'labels': no label \(MessageText.quoted(unknown))")
        }
        guard !(try await table.images(withAnyOf: names.map { $0.trimmingCharacters(in: .whitespaces) })).isEmpty else {
            throw ServerError(status: .notFound, message: "no photo carries any of these labels")
        }
        switch await downloads.submit(labels: names, recipient: recipient) {
        case .queued: return Response(status: .accepted)
        case .busy: throw Self.downloadsBusy
        case .shuttingDown: throw ServerError(status: .serviceUnavailable, message: "the server is shutting down")
        }
    }

    static let downloadsBusy = ServerError(
        status: .serviceUnavailable, message: "too many bundles are waiting to be built; try again shortly", headers: [.retryAfter: "5"])

    func status() async -> Response {
        .json("{\"pending\": \(await analysisQueue.pending)}")
    }

    /// The upload body's `file_name`: a non-empty JPEG name.
    package static func fileName(_ body: [String: Any]) throws -> String {
        guard let fileName = body["file_name"] as? String, !fileName.isEmpty else {
            throw ServerError.badRequest("field 'file_name' must be a non-empty string")
        }
        guard PhotoKey.isJPEG(fileName) else { throw ServerError.badRequest("field 'file_name' must end in .jpg or .jpeg") }
        return fileName
    }

    /// The download body's `labels`: 1 to 100 non-blank names of at most 200 characters.
    package static func labelNames(_ body: [String: Any]) throws -> [String] {
        guard let labels = body["labels"] as? [Any], !labels.isEmpty, labels.count <= 100,
            let names = labels as? [String], names.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0.count <= 200 })
        else { throw ServerError.badRequest("field 'labels' must be a list of 1 to 100 label names") }
        return names
    }

    /// `email` or `phone` from the body, else the token's e-mail claim.
    package static func recipient(_ body: [String: Any], user: UserIdentity) throws -> Recipient {
        let email = body["email"]
        let phone = body["phone"]
        for (name, value) in [("email", email), ("phone", phone)] where value != nil && !(value is String) && !(value is NSNull) {
            throw ServerError.badRequest("field '\(name)' must be a string")
        }
        let emailText = (email as? String).flatMap { $0.isEmpty ? nil : $0 }
        let phoneText = (phone as? String).flatMap { $0.isEmpty ? nil : $0 }
        do {
            switch (emailText, phoneText) {
            case (let address?, nil): return try .email(validating: address)
            case (nil, let number?): return try .phone(validating: number)
            case (nil, nil):
                guard let address = user.email else { throw ServerError.badRequest("give 'email' or 'phone': the token has no e-mail") }
                return try .email(validating: address)
            default: throw ServerError.badRequest("give 'email' or 'phone', not both")
            }
        } catch let error as PAMError {
            throw ServerError.badRequest("field '\(phoneText != nil ? "phone" : "email")': \(error.message)")
        }
    }

    /// The body as a JSON object, or 400 (malformed) / 413 (over `limit`).
    static func jsonObject(_ request: Request, limit: Int) async throws -> [String: Any] {
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        return try jsonObject(Data(buffer.readableBytesView))
    }

    /// `data` as a JSON object, or 400.
    package static func jsonObject(_ data: Data) throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ServerError.badRequest("the body must be a JSON object")
        }
        return object
    }
}
