import Foundation
import PAMCore
import PAMLocal

extension FuzzTarget {
    /// Input: a URL as a client hands it back; also used as an object key that is signed and
    /// verified again.
    package static let presignedURL = FuzzTarget(name: "presigned-url") { data in fuzzPresignedURL(data) }
}

/// The signer of the seed URLs: key 32 × 0x07, base `http://127.0.0.1:9000`, clock 2027-01-15.
package enum PresignFixture {
    package static let signer = PresignedURLSigner(key: Data(repeating: 7, count: 32), baseURL: URL(string: "http://127.0.0.1:9000")!)
    package static let now = Date(timeIntervalSince1970: 1_800_000_000)
    package static let bucket = "pam-storage"
}

@discardableResult
package func fuzzPresignedURL(_ data: Data) -> Bool {
    let signer = PresignFixture.signer
    let now = PresignFixture.now
    let text = String(decoding: data, as: UTF8.self)
    var accepted = false
    if let url = URL(string: text) {
        for method in [PresignMethod.get, .put] {
            guard let ref = try? signer.verify(url: url, method, contentType: "image/jpeg", now: now) else { continue }
            accepted = true
            // Only what the signer signed verifies: the same object, signed again, verifies too,
            // and the URL dies at its expiry and for the other method.
            require(!ref.key.isEmpty, "an accepted URL names an empty key")
            let again = try? signer.sign(method, ref, contentType: "image/jpeg", expiresIn: 60, now: now)
            require(
                again.flatMap { try? signer.verify(url: $0, method, contentType: "image/jpeg", now: now) } == ref,
                "the object of an accepted URL does not survive signing again")
            require(
                (try? signer.verify(url: url, method, contentType: "image/jpeg", now: now + PresignedURLSigner.maxLifetime + 1)) == nil,
                "an accepted URL still verifies after the 7-day maximum")
            let other: PresignMethod = method == .get ? .put : .get
            require(
                (try? signer.verify(url: url, other, contentType: "image/jpeg", now: now)) == nil,
                "a \(method) URL also verifies for \(other)")
        }
    }
    // Any key the buckets accept survives the trip through a presigned URL's percent-encoding.
    if (try? ObjectKeyValidator.validate(key: text, bucket: PresignFixture.bucket)) != nil {
        let ref = ObjectRef(bucket: PresignFixture.bucket, key: text)
        guard let url = try? signer.sign(.get, ref, contentType: nil, expiresIn: 900, now: now) else {
            preconditionFailure("fuzz property violated: a valid key cannot be signed: \(text.debugDescription)")
        }
        require(
            (try? signer.verify(url: url, .get, contentType: nil, now: now)) == ref,
            "\(text.debugDescription) comes back as another object from \(url)")
        require((try? signer.verify(url: url, .get, contentType: nil, now: now + 901)) == nil, "a URL verifies after its expiry")
        // The object endpoint reads the key back from the request path (ObjectRoutes.authorizedRef).
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
        require(PresignedURLSigner.ref(fromPath: path, base: signer.baseURL) == ref, "the request path of \(url) names another object")
        require(
            String(path.dropFirst(ref.bucket.count + 2)).removingPercentEncoding == text, "the object endpoint reads \(path) as another key"
        )
    }
    return accepted
}
