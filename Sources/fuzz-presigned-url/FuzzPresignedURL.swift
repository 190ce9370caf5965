import PAMFuzzing

/// libFuzzer target for FuzzTarget.presignedURL (see PAMFuzzing).
@main enum FuzzPresignedURL {
    static func main() { FuzzDriver.main(.presignedURL) }
}
