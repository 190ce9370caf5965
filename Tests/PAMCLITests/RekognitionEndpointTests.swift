import Foundation
import PAMCore
import PAMLocal
import PAMTestSupport
import Testing

/// `pam serve`'s Rekognition DetectLabels driven by boto3 and the aws CLI: PAM's labeler on a
/// photo of the emulated S3 or sent as bytes, in Rekognition's shape, and Rekognition's refusals.
@Suite("AWS endpoint (Rekognition)", .serialized)
struct RekognitionEndpointTests {
    static let photoName = "lomiri-aitzgorri-aitzol-berasategi.jpg"

    static func photo() throws -> URL {
        try #require(FixtureFiles.root).appendingPathComponent("photos").appendingPathComponent(photoName)
    }

    /// What the local labeler finds in the photo, as JSON-ready values.
    static func expected(_ query: LabelQuery) throws -> [[String: Any]] {
        try HistogramLabeler().labels(forJPEG: Data(contentsOf: photo()), query: query).map {
            ["Name": $0.name, "Confidence": $0.confidence, "Parents": $0.parents, "Categories": $0.categories]
        }
    }

    /// The labels a script printed as JSON (`[{Name, Confidence, Parents: [names], Categories: [names]}]`).
    static func printed(_ line: Substring) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [[String: Any]])
    }

    static func same(_ left: [[String: Any]], _ right: [[String: Any]]) -> Bool {
        NSArray(array: left).isEqual(to: right)
    }

    @Test("boto3: DetectLabels on an S3Object and on Bytes answers the local labeler's labels in Rekognition's shape")
    func detectLabels() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let result = try await clients.python(
                """
                rek = boto3.client("rekognition")
                photo = open(sys.argv[1], "rb").read()
                s3.put_object(Bucket="pam-working", Key="photos/ridge.jpg", Body=photo, ContentType="image/jpeg")
                def simple(answer):
                    assert answer["LabelModelVersion"] == "3.0", answer
                    for label in answer["Labels"]:
                        assert label["Instances"] == [] and label["Aliases"] == [], label
                    return [{"Name": l["Name"], "Confidence": l["Confidence"], "Parents": [p["Name"] for p in l["Parents"]],
                             "Categories": [c["Name"] for c in l["Categories"]]} for l in answer["Labels"]]
                from_s3 = simple(rek.detect_labels(Image={"S3Object": {"Bucket": "pam-working", "Name": "photos/ridge.jpg"}}))
                from_bytes = simple(rek.detect_labels(Image={"Bytes": photo}))
                limited = simple(rek.detect_labels(Image={"Bytes": photo}, MaxLabels=3, MinConfidence=70))
                everything = simple(rek.detect_labels(Image={"S3Object": {"Bucket": "pam-working", "Name": "photos/ridge.jpg"}},
                                                      MinConfidence=0, Features=["GENERAL_LABELS"]))
                none = simple(rek.detect_labels(Image={"Bytes": photo}, MaxLabels=0))
                for labels in [from_s3, from_bytes, limited, everything, none]:
                    print(json.dumps(labels))
                for threshold in [60, 90, 99, 99.5, 100]:
                    print(json.dumps(simple(rek.detect_labels(Image={"Bytes": photo}, MinConfidence=threshold))))
                """, [try Self.photo().path])
            try #require(result.status == 0, "\(result.transcript)")
            let lines = result.output.split(separator: "\n")
            try #require(lines.count == 10, "\(result.output)")
            let defaults = try Self.expected(.default)
            #expect(!defaults.isEmpty && defaults.contains { !($0["Parents"] as? [String] ?? []).isEmpty })
            #expect(Self.same(try Self.printed(lines[0]), defaults), "\(lines[0])")
            #expect(Self.same(try Self.printed(lines[1]), defaults), "\(lines[1])")
            let limited = try Self.expected(LabelQuery(maxLabels: 3, minConfidence: 70))
            let printedLimited = try Self.printed(lines[2])
            #expect(limited.count <= 3 && Self.same(printedLimited, limited), "\(lines[2])")
            let everything = try Self.expected(LabelQuery(minConfidence: 0))
            let printedEverything = try Self.printed(lines[3])
            #expect(everything.count >= defaults.count && Self.same(printedEverything, everything), "\(lines[3])")
            #expect(try Self.printed(lines[4]).isEmpty)
            // MinConfidence drops exactly the labels below it (some thresholds keep some, others none).
            var counts: Set<Int> = []
            for (threshold, line) in zip([60, 90, 99, 99.5, 100], lines[5...]) {
                let expected = try Self.expected(LabelQuery(minConfidence: threshold))
                counts.insert(expected.count)
                #expect(Self.same(try Self.printed(line), expected), "MinConfidence \(threshold): \(line)")
            }
            #expect(counts.count > 1, "the thresholds keep different numbers of labels: \(counts)")
        }
    }

    @Test("boto3: Rekognition's refusals — invalid image, too large, no such object, bad parameters, other operations 501")
    func refusals() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let result = try await clients.python(
                """
                from botocore.config import Config
                rek = boto3.client("rekognition", config=Config(retries={"total_max_attempts": 1}))
                photo = open(sys.argv[1], "rb").read()
                s3.put_object(Bucket="pam-working", Key="notes.jpg", Body=b"just some text")
                checks = [
                    (refusal(rek.detect_labels, Image={"Bytes": b"just some text"}),
                        (400, "InvalidImageFormatException", "Request has invalid image format")),
                    (refusal(rek.detect_labels, Image={"S3Object": {"Bucket": "pam-working", "Name": "notes.jpg"}}),
                        (400, "InvalidImageFormatException", "Request has invalid image format")),
                    (refusal(rek.detect_labels, Image={"Bytes": photo + b"\\0" * (5 * 1024 * 1024)}),
                        (400, "ImageTooLargeException", "Image size is too large.")),
                    (refusal(rek.detect_labels, Image={"S3Object": {"Bucket": "pam-working", "Name": "no/such.jpg"}}),
                        (400, "InvalidS3ObjectException",
                         "Unable to get object metadata from S3. Check object key, region and/or access permissions.")),
                    (refusal(rek.detect_labels, Image={"S3Object": {"Bucket": "no-such-bucket", "Name": "a.jpg"}})[:2],
                        (400, "InvalidS3ObjectException")),
                    (refusal(rek.detect_labels, Image={"Bytes": photo, "S3Object": {"Bucket": "pam-working", "Name": "notes.jpg"}}),
                        (400, "InvalidParameterException", "Request has invalid parameters")),
                    (refusal(rek.detect_labels, Image={"Bytes": photo}, MinConfidence=101),
                        (400, "ValidationException", "1 validation error detected: Value '101.0' at 'minConfidence' failed to satisfy "
                         "constraint: Member must have value less than or equal to 100")),
                    (refusal(rek.detect_labels, Image={"S3Object": {"Bucket": "pam-working", "Name": "notes.jpg", "Version": "v1"}})[:2],
                        (501, "NotImplemented")),
                    (refusal(rek.detect_faces, Image={"Bytes": photo}),
                        (501, "NotImplemented", "Rekognition DetectFaces is not implemented by PAM's AWS endpoint")),
                ]
                for got, want in checks:
                    assert got == want, (got, want)
                print("ok")
                """, [try Self.photo().path])
            #expect(result.status == 0 && result.output.contains("ok"), "\(result.transcript)\n\(server.log())")
        }
    }

    @Test("aws CLI: rekognition detect-labels on an object of the emulated S3, with --max-labels")
    func awsCLI() async throws {
        try await AWSEndpointTests.withServer { _, clients in
            let up = try await clients.aws(["s3", "cp", try Self.photo().path, "s3://pam-storage/cli/ridge.jpg"])
            try #require(up.status == 0, "\(up.transcript)")
            let detected = try await clients.aws([
                "rekognition", "detect-labels", "--image", #"{"S3Object":{"Bucket":"pam-storage","Name":"cli/ridge.jpg"}}"#,
                "--max-labels", "2", "--output", "json",
            ])
            try #require(detected.status == 0, "\(detected.transcript)")
            let answer = try #require(try JSONSerialization.jsonObject(with: Data(detected.output.utf8)) as? [String: Any])
            let labels = try #require(answer["Labels"] as? [[String: Any]])
            let expected = try Self.expected(LabelQuery(maxLabels: 2)).map { $0["Name"] as? String }
            #expect(labels.map { $0["Name"] as? String } == expected && labels.count == 2, "\(detected.output)")
            #expect(answer["LabelModelVersion"] as? String == "3.0")
        }
    }
}
