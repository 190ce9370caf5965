import PAMFuzzing

/// libFuzzer target for FuzzTarget.range (see PAMFuzzing).
@main enum FuzzRange {
    static func main() { FuzzDriver.main(.range) }
}
