import Foundation
import PAMCore
import PAMTestSupport

/// The AWS tests' fixtures folder (`FixtureFiles`); the SigV4 suite's cases are PAMSigV4Tests'.
enum AWSFixtures {
    static var root: URL? { FixtureFiles.root }
}
