import Crypto
import Foundation
import PAMCore
import PAMSigV4

extension S3ObjectStore {
    /// Uploads `first` and the rest of the body as parts of one multipart upload, completing it at
    /// the end or aborting it on any failure, so no half-uploaded parts are left billed.
    func multipartUpload(
        _ ref: ObjectRef, first: ChunkReader.Piece, rest: ChunkReader, declared: Int64?,
        options: PutOptions, started: Date
    ) async throws -> ObjectInfo {
        var create = request(ref, "CreateMultipartUpload", method: "POST", headers: objectHeaders(options))
        create.query = [SigV4Request.Field("uploads", "")]
        let created = try await send(ref, "CreateMultipartUpload", create)
        guard let uploadID = XMLTree.parse(created.body)?.value("UploadId"), !uploadID.isEmpty else {
            throw PAMError(.storage, "CreateMultipartUpload answered without an UploadId", ref: ref)
        }
        do {
            var reader = rest
            var piece = first
            var etags: [String] = []
            var size: Int64 = 0
            var crc = CRC32()
            while true {
                let number = etags.count + 1
                var part = request(
                    ref, "UploadPart", method: "PUT", headers: [SigV4Request.Field("Content-MD5", Self.contentMD5(piece.data))],
                    body: piece.data)
                part.query = [SigV4Request.Field("partNumber", String(number)), SigV4Request.Field("uploadId", uploadID)]
                let answer = try await send(ref, "UploadPart", part)
                etags.append(answer.header("ETag") ?? "")
                size += Int64(piece.data.count)
                crc.update(piece.data)
                if reader.isFinished { break }
                piece = try await reader.read(upTo: partSize)
                if piece.data.isEmpty { break }
            }
            if let declared, declared != size {
                throw PAMError(.storage, "the body has \(size) bytes but declared \(declared)", ref: ref)
            }
            let parts = etags.enumerated().map {
                "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\(Markup.escape($0.element))</ETag></Part>"
            }
            let body = Data(
                "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\(parts.joined())</CompleteMultipartUpload>"
                    .utf8)
            var complete = request(
                ref, "CompleteMultipartUpload", method: "POST", headers: [SigV4Request.Field("Content-Type", "application/xml")], body: body
            )
            complete.query = [SigV4Request.Field("uploadId", uploadID)]
            let completed = try await send(ref, "CompleteMultipartUpload", complete)
            // Like CopyObject, completion can fail after a 200.
            guard let root = XMLTree.parse(completed.body), root.name != "Error" else {
                throw S3ErrorMapping.map(
                    AWSServiceError.parse(
                        service: .s3, operation: "CompleteMultipartUpload", status: 200, headers: [], body: completed.body),
                    operation: "CompleteMultipartUpload", ref: ref)
            }
            return ObjectInfo(
                ref: ref, size: size, etag: Self.unquote(root.value("ETag") ?? ""),
                crc32: options.computeCRC32 ? crc.value : nil, contentType: options.contentType,
                storageClass: options.storageClass, created: started, lastAccess: started, metadata: options.metadata)
        } catch {
            await abort(ref, uploadID: uploadID)
            throw error
        }
    }

    /// Best effort: a failed abort is logged and left to the bucket's lifecycle rule.
    private func abort(_ ref: ObjectRef, uploadID: String) async {
        var abort = request(ref, "AbortMultipartUpload", method: "DELETE")
        abort.query = [SigV4Request.Field("uploadId", uploadID)]
        do {
            _ = try await client.send(abort)
        } catch {
            logger.warning("could not abort a multipart upload", metadata: ["ref": "\(ref)", "error": "\(error)"])
        }
    }
}
