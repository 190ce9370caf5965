import PAMFuzzing

/// libFuzzer target for FuzzTarget.s3XML (see PAMFuzzing).
@main enum FuzzS3XML {
    static func main() { FuzzDriver.main(.s3XML) }
}
