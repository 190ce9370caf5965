import Foundation
import PAMSigV4
import Testing

@testable import PAMAWS

@Suite("Query protocol form encoding")
struct AWSQueryEncodingTests {
    @Test("form bodies encode a space as '+', as botocore does, and everything else but the unreserved as %XX")
    func formEncoding() {
        #expect(
            AWSPercentEncoding.formEncode("Your bundle is ready.\n\nhttp://h/k.zip?a=1&b=%2F c+d~_-")
                == "Your+bundle+is+ready.%0A%0Ahttp%3A%2F%2Fh%2Fk.zip%3Fa%3D1%26b%3D%252F+c%2Bd~_-")
        #expect(AWSPercentEncoding.formEncode("%20") == "%2520")
        #expect(AWSPercentEncoding.decode(AWSPercentEncoding.formEncode("a b+c%20"), plusIsSpace: true) == "a b+c%20")
    }
}
