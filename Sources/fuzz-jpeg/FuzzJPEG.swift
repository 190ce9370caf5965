import PAMFuzzing

/// libFuzzer target for FuzzTarget.jpeg (see PAMFuzzing).
@main enum FuzzJPEG {
    static func main() { FuzzDriver.main(.jpeg) }
}
