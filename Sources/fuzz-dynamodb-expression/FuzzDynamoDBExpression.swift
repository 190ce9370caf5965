import PAMFuzzing

/// libFuzzer target for FuzzTarget.dynamoDBExpression (see PAMFuzzing).
@main enum FuzzDynamoDBExpression {
    static func main() { FuzzDriver.main(.dynamoDBExpression) }
}
