import Foundation
import PAMCore
import PAMLocal
import PAMServer

extension FuzzTarget {
    /// Input: a JSON body of `PUT /api/upload` or `POST /api/download`, parsed as both.
    package static let apiBody = FuzzTarget(name: "api-body") { data in fuzzAPIBody(data) }
}

@discardableResult
package func fuzzAPIBody(_ data: Data) -> Bool {
    guard let body = try? APIRoutes.jsonObject(data) else { return false }
    var accepted = false
    if let names = try? APIRoutes.labelNames(body) {
        accepted = true
        require((1...100).contains(names.count), "\(names.count) labels are accepted")
        require(
            names.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0.count <= 200 },
            "a blank or over-long label is accepted: \(names)")
    }
    let user = UserIdentity(subject: "sub", username: "fuzz", email: "owner@example.com", phone: nil)
    if let recipient = try? APIRoutes.recipient(body, user: user) {
        accepted = true
        checkRecipient(recipient)
    }
    if let fileName = try? APIRoutes.fileName(body) {
        accepted = true
        require(!fileName.isEmpty && PhotoKey.isJPEG(fileName), "file name \(fileName.debugDescription) is accepted")
        // Whatever the name, the photo's storage key is one the buckets accept, and a JPEG's.
        let key = PhotoKey.make(fileName: fileName)
        require(
            (try? ObjectKeyValidator.validate(key: key, bucket: "pam-storage")) != nil && PhotoKey.isJPEG(key),
            "file name \(fileName.debugDescription) becomes the invalid key \(key.debugDescription)")
    }
    return accepted
}
