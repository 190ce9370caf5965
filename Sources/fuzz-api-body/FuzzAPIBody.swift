import PAMFuzzing

/// libFuzzer target for FuzzTarget.apiBody (see PAMFuzzing).
@main enum FuzzAPIBody {
    static func main() { FuzzDriver.main(.apiBody) }
}
