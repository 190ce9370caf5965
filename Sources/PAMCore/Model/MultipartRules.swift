import Foundation

/// S3's rules for multipart uploads, for every store that keeps them: part numbers, the minimum
/// part size, and which part lists a completion accepts.
public enum MultipartRules {
    public static let maximumPartNumber = 10_000
    /// Every part but the last has at least 5 MiB.
    public static let minimumPartSize: Int64 = 5 << 20

    /// The stored parts `listed` names, in order, when the list is one S3 completes: at least one
    /// part, numbers strictly ascending, each uploaded with that ETag (quotes optional), each but
    /// the last at least ``minimumPartSize``. Otherwise the refusal S3 gives, checked in S3's order.
    public static func check(
        _ listed: [(number: Int, etag: String)], stored: [Int: UploadedPart], ref: ObjectRef, uploadID: String
    ) throws -> [UploadedPart] {
        guard !listed.isEmpty else {
            throw MultipartUploadError(.invalidPart, "You must specify at least one part", ref: ref, uploadID: uploadID)
        }
        var previous = 0
        for part in listed {
            guard part.number > previous else {
                throw MultipartUploadError(
                    .invalidPartOrder,
                    "The list of parts was not in ascending order. The parts list must be specified in order by part number.",
                    ref: ref, uploadID: uploadID, partNumber: part.number)
            }
            previous = part.number
        }
        var chosen: [UploadedPart] = []
        for part in listed {
            let etag = part.etag.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            guard let found = stored[part.number], found.etag == etag.lowercased() else {
                throw MultipartUploadError(
                    .invalidPart,
                    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
                    ref: ref, uploadID: uploadID, partNumber: part.number, etag: part.etag)
            }
            chosen.append(found)
        }
        for part in chosen.dropLast() where part.size < minimumPartSize {
            throw MultipartUploadError(
                .entityTooSmall, "Your proposed upload is smaller than the minimum allowed size", ref: ref, uploadID: uploadID,
                partNumber: part.number, etag: part.etag)
        }
        return chosen
    }
}
