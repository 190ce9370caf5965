import PAMFuzzing

/// libFuzzer target for FuzzTarget.objectKey (see PAMFuzzing).
@main enum FuzzObjectKey {
    static func main() { FuzzDriver.main(.objectKey) }
}
