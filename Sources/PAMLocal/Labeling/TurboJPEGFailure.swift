/// What libturbojpeg said when an operation failed; carried as `PAMError.underlying`.
public struct TurboJPEGFailure: Error, Sendable, CustomStringConvertible {
    /// The TurboJPEG call that failed, e.g. "tjDecompress2".
    public var operation: String
    /// libturbojpeg's message, e.g. "Premature end of JPEG file".
    public var message: String
    /// True when libturbojpeg classed the problem as a warning (corrupt or truncated data);
    /// PAM still treats it as a failure.
    public var isWarning: Bool

    public init(operation: String, message: String, isWarning: Bool) {
        self.operation = operation
        self.message = message
        self.isWarning = isWarning
    }

    public var description: String {
        "\(operation): \(message)\(isWarning ? " (warning)" : "")"
    }
}
