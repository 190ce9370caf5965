import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

@Suite("Presigned URLs")
struct PresignedURLTests {
    let signer = PresignedURLSigner(key: Data(repeating: 42, count: 32), baseURL: URL(string: "http://127.0.0.1:8080")!)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let ref = ObjectRef(bucket: "pam-storage", key: "1234-lake view.jpg")

    func query(_ url: URL, _ name: String) -> String? {
        URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == name }?.value
    }

    @Test("a fresh URL verifies for its method, object and content type")
    func roundTrip() throws {
        let url = try signer.sign(.put, ref, contentType: "image/jpeg", expiresIn: 900, now: now)
        #expect(url.absoluteString.hasPrefix("http://127.0.0.1:8080/pam-storage/1234-lake%20view.jpg?X-Pam-Expires=1800000900&"))
        #expect(try signer.verify(url: url, .put, contentType: "image/jpeg", now: now + 899) == ref)
    }

    @Test("expired URLs are refused as expired")
    func expiry() throws {
        let url = try signer.sign(.get, ref, contentType: nil, expiresIn: 24 * 3600, now: now)
        #expect(throws: Never.self) { try signer.verify(url: url, .get, contentType: nil, now: now + 24 * 3600 - 1) }
        #expect { try signer.verify(url: url, .get, contentType: nil, now: now + 24 * 3600) } throws: {
            ($0 as? PAMError)?.code == .expired
        }
    }

    @Test("tampering with any signed part is refused")
    func tampering() throws {
        let url = try signer.sign(.put, ref, contentType: "image/jpeg", expiresIn: 900, now: now)
        let expires = query(url, PresignedURLSigner.expiresParameter)
        let signature = query(url, PresignedURLSigner.signatureParameter)!
        func refused(_ body: () throws -> Void) {
            #expect { try body() } throws: { ($0 as? PAMError)?.code == .invalidSignature }
        }
        refused {
            try signer.verify(
                .put, ObjectRef(bucket: ref.bucket, key: "other.jpg"), expires: expires, signature: signature, contentType: "image/jpeg",
                now: now)
        }
        refused {
            try signer.verify(
                .put, ObjectRef(bucket: "pam-working", key: ref.key), expires: expires, signature: signature, contentType: "image/jpeg",
                now: now)
        }
        refused { try signer.verify(.put, ref, expires: "1900000000", signature: signature, contentType: "image/jpeg", now: now) }
        refused { try signer.verify(.get, ref, expires: expires, signature: signature, contentType: "image/jpeg", now: now) }
        refused { try signer.verify(.put, ref, expires: expires, signature: signature, contentType: "text/html", now: now) }
        let flipped = String(signature.dropLast()) + (signature.hasSuffix("0") ? "1" : "0")
        refused { try signer.verify(.put, ref, expires: expires, signature: flipped, contentType: "image/jpeg", now: now) }
        refused { try signer.verify(.put, ref, expires: expires, signature: nil, contentType: "image/jpeg", now: now) }
        refused { try signer.verify(.put, ref, expires: expires, signature: "zz", contentType: "image/jpeg", now: now) }
        let otherKey = PresignedURLSigner(key: Data(repeating: 7, count: 32), baseURL: signer.baseURL)
        refused { _ = try otherKey.verify(url: url, .put, contentType: "image/jpeg", now: now) }
    }

    @Test("lifetimes outside 1 s … 7 days are refused")
    func lifetimes() {
        #expect(throws: PAMError.self) { try signer.sign(.get, ref, contentType: nil, expiresIn: 0, now: now) }
        #expect(throws: PAMError.self) { try signer.sign(.get, ref, contentType: nil, expiresIn: 7 * 24 * 3600 + 1, now: now) }
    }

    @Test("a validly signed URL expiring more than 7 days from now is refused, as signing never makes one")
    func verifiedLifetime() throws {
        let longest = try signer.sign(.get, ref, contentType: nil, expiresIn: PresignedURLSigner.maxLifetime, now: now)
        #expect(throws: Never.self) { try signer.verify(url: longest, .get, contentType: nil, now: now) }
        // Signed with the right key, but by a clock a day ahead: eight days from the verifier's now.
        let tooLong = try signer.sign(.get, ref, contentType: nil, expiresIn: PresignedURLSigner.maxLifetime, now: now + 24 * 3600)
        #expect { try signer.verify(url: tooLong, .get, contentType: nil, now: now) } throws: {
            ($0 as? PAMError)?.code == .invalidSignature
        }
        // One second over the limit is already too long; a day later the same URL is fine.
        let justOver = try signer.sign(.get, ref, contentType: nil, expiresIn: PresignedURLSigner.maxLifetime, now: now + 1)
        #expect { try signer.verify(url: justOver, .get, contentType: nil, now: now) } throws: {
            ($0 as? PAMError)?.code == .invalidSignature
        }
        #expect(throws: Never.self) { try signer.verify(url: tooLong, .get, contentType: nil, now: now + 24 * 3600) }
    }

    @Test("the store's URLs use its clock and key, which survives restarts")
    func storeURLs() async throws {
        try await withTemporaryState { state in
            let store = try state.store()
            let url = try await store.presignedURL(
                .get, ObjectRef(bucket: state.config.workingBucket, key: "a.zip"), expiresIn: 60, contentType: nil)
            #expect(throws: Never.self) { _ = try state.store().presigner.verify(url: url, .get, contentType: nil, now: state.clock.now()) }
            state.clock.advance(by: 61)
            #expect { _ = try store.presigner.verify(url: url, .get, contentType: nil, now: state.clock.now()) } throws: {
                ($0 as? PAMError)?.code == .expired
            }
        }
    }
}
