import Foundation
import PAMCore
import Testing

@testable import PAMServer

/// How the AWS endpoint's Rekognition and SNS read their requests: DetectLabels' JSON and the query
/// protocol's form.
@Suite("AWS service requests")
struct AWSServiceRequestTests {
    static func refusal(_ json: String) -> AWSServiceFault? {
        do {
            _ = try DetectLabelsRequest.decode(Data(json.utf8))
            return nil
        } catch {
            return error as? AWSServiceFault
        }
    }

    @Test("DetectLabels: the image and the query, with Rekognition's defaults")
    func detectLabels() throws {
        let object = try DetectLabelsRequest.decode(Data(#"{"Image":{"S3Object":{"Bucket":"pam-storage","Name":"a/b c.jpg"}}}"#.utf8))
        #expect(object == DetectLabelsRequest(image: .object(ObjectRef(bucket: "pam-storage", key: "a/b c.jpg")), query: .default))
        let bytes = try DetectLabelsRequest.decode(
            Data(#"{"Image":{"Bytes":"/9j/2Q=="},"MaxLabels":0,"MinConfidence":99.5,"Features":["GENERAL_LABELS"]}"#.utf8))
        #expect(
            bytes
                == DetectLabelsRequest(image: .bytes(Data([0xFF, 0xD8, 0xFF, 0xD9])), query: LabelQuery(maxLabels: 0, minConfidence: 99.5)))
    }

    @Test("DetectLabels: malformed input is refused as Rekognition refuses it; what PAM does not do is 501")
    func detectLabelsRefusals() {
        let cases: [(String, String)] = [
            ("not json", "SerializationException"),
            (#"{"Image":{"Bytes":"%%%"}}"#, "SerializationException"),
            (#"{"Image":{"Bytes":"/9j/2Q=="},"MaxLabels":"ten"}"#, "SerializationException"),
            ("{}", "ValidationException"),
            (#"{"Image":{"Bytes":""}}"#, "ValidationException"),
            (#"{"Image":{"Bytes":"/9j/2Q=="},"MaxLabels":-1}"#, "ValidationException"),
            (#"{"Image":{"Bytes":"/9j/2Q=="},"MinConfidence":-0.5}"#, "ValidationException"),
            (#"{"Image":{"Bytes":"/9j/2Q=="},"Features":["FACES"]}"#, "ValidationException"),
            (#"{"Image":{"S3Object":{"Bucket":"a b","Name":"k"}}}"#, "ValidationException"),
            (#"{"Image":{"S3Object":{"Bucket":"bucket"}}}"#, "ValidationException"),
            (#"{"Image":{}}"#, "InvalidParameterException"),
            (#"{"Image":{"Bytes":"/9j/2Q==","S3Object":{"Bucket":"bucket","Name":"k"}}}"#, "InvalidParameterException"),
            (#"{"Image":{"Bytes":"/9j/2Q=="},"Features":["IMAGE_PROPERTIES"]}"#, "NotImplemented"),
            (#"{"Image":{"Bytes":"/9j/2Q=="},"Settings":{"GeneralLabels":{}}}"#, "NotImplemented"),
            (#"{"Image":{"S3Object":{"Bucket":"bucket","Name":"k","Version":"1"}}}"#, "NotImplemented"),
        ]
        for (json, code) in cases { #expect(Self.refusal(json)?.code == code, "\(json)") }
        let huge = Data(count: DetectLabelsRequest.maxImageBytes + 1).base64EncodedString()
        #expect(Self.refusal(#"{"Image":{"Bytes":"\#(huge)"}}"#)?.code == "ImageTooLargeException")
        let atLimit = Data(count: DetectLabelsRequest.maxImageBytes).base64EncodedString()
        #expect(Self.refusal(#"{"Image":{"Bytes":"\#(atLimit)"}}"#) == nil)
    }

    @Test("query form: URL query then body, + is a space, escapes decoded, a bare name has an empty value")
    func form() {
        let form = AWSQueryForm(
            query: "Action=Publish", body: "Action=Other&Message=a+b%2Bc%3D%26d&Subject=%E2%9C%93&Empty=&Bare&TopicArn=arn%3Aaws")
        #expect(form["Action"] == "Publish")
        #expect(form["Message"] == "a b+c=&d" && form["Subject"] == "✓" && form["TopicArn"] == "arn:aws")
        #expect(form["Empty"] == "" && form["Bare"] == "" && form["Missing"] == nil)
        #expect(form.fields.count == 7)
    }
}
