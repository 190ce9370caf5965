import Foundation
import PAMTestSupport
import Testing

/// The AWS endpoint's router refusing requests to its JSON (Rekognition) and query (SNS) services
/// in their own protocols, through boto3: wrong secret, unknown key, a clock an hour off, no
/// signature at all.
@Suite("AWS endpoint (service authentication)", .serialized)
struct AWSServiceAuthTests {
    @Test("wrong secret, unknown key, skewed clock and unsigned requests get Rekognition's and SNS's own errors")
    func refusals() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let script = """
                import datetime, botocore.auth
                from botocore.config import Config
                from botocore import UNSIGNED
                once = Config(retries={"total_max_attempts": 1})
                def both(**extra):
                    config = once.merge(Config(**extra))
                    return boto3.client("rekognition", config=config), boto3.client("sns", config=config)
                def codes(rek, sns):
                    return (refusal(rek.detect_labels, Image={"Bytes": b"x"}), refusal(sns.list_topics))
                mode = sys.argv[1]
                if mode == "skewed":
                    real = botocore.auth.get_current_datetime
                    botocore.auth.get_current_datetime = lambda: real() - datetime.timedelta(hours=1)
                rek, sns = both(signature_version=UNSIGNED) if mode == "unsigned" else both()
                print(json.dumps(codes(rek, sns)))
                """
            let signature =
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
                + "and signing method. Consult the service documentation for details."
            let cases: [(name: String, clients: AWSClients, rekognition: [String], sns: [String])] = [
                (
                    "wrong secret", AWSClients(server: server, accessKeyID: "pam", secretAccessKey: "not-the-secret"),
                    ["400", "InvalidSignatureException", signature], ["403", "SignatureDoesNotMatch", signature]
                ),
                (
                    "unknown key", AWSClients(server: server, accessKeyID: "nobody", secretAccessKey: "pam-local-secret"),
                    ["400", "UnrecognizedClientException", "The security token included in the request is invalid."],
                    ["403", "InvalidClientTokenId", "The security token included in the request is invalid."]
                ),
                ("skewed", clients, ["400", "InvalidSignatureException"], ["403", "SignatureDoesNotMatch"]),
                (
                    "unsigned", clients, ["400", "MissingAuthenticationTokenException", "Request is missing Authentication Token"],
                    ["403", "MissingAuthenticationToken", "Request is missing Authentication Token"]
                ),
            ]
            for (name, client, rekognition, sns) in cases {
                let mode = name == "skewed" || name == "unsigned" ? name : "signed"
                let result = try await client.python(script, [mode])
                try #require(result.status == 0, "\(name): \(result.transcript)")
                let answers = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[Any]], "\(result.output)")
                let strings = answers.map { $0.map { "\($0)" } }
                #expect(Array(strings[0].prefix(rekognition.count)) == rekognition, "\(name): \(strings[0])")
                #expect(Array(strings[1].prefix(sns.count)) == sns, "\(name): \(strings[1])")
                if name == "skewed" {
                    // `Signature expired: <an hour ago> is now earlier than <15 min ago> (<now> - 15 min.)`, as AWS words it.
                    let pattern = #/Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)/#
                    #expect(strings.allSatisfy { (try? pattern.wholeMatch(in: $0[2])) != nil }, "\(strings)")
                }
            }
            // Nothing was labelled or created on the way.
            #expect(!server.log().contains("aws sns ListTopics 200"), "\(server.log())")
        }
    }
}
