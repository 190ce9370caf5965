import PAMFuzzing

/// libFuzzer target for FuzzTarget.jwt (see PAMFuzzing).
@main enum FuzzJWT {
    static func main() { FuzzDriver.main(.jwt) }
}
