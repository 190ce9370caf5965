import PAMCore

/// The local labeler reads a stored object whole and labels its bytes with the same limit
/// (`maxImageBytes`) either way.
extension StoredImageLabeler: StoredBytesLabeler {}
