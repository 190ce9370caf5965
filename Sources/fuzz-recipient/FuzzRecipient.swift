import PAMFuzzing

/// libFuzzer target for FuzzTarget.recipient (see PAMFuzzing).
@main enum FuzzRecipient {
    static func main() { FuzzDriver.main(.recipient) }
}
