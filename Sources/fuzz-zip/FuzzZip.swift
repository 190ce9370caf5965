import PAMFuzzing

/// libFuzzer target for FuzzTarget.zip (see PAMFuzzing).
@main enum FuzzZip {
    static func main() { FuzzDriver.main(.zip) }
}
