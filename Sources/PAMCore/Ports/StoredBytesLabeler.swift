import Foundation

/// An `ImageLabeler` whose answer for an object's bytes is exactly its answer for the object: the
/// same limits and the same work, so a caller that holds the bytes it has just stored (`pam
/// import`) may hand them over instead of having the labeler read the object back. Rekognition is
/// not one (its limit for bytes in the request is lower than for an S3 object).
public protocol StoredBytesLabeler: ImageLabeler {}
