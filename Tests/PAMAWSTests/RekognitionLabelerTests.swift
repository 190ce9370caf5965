import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMAWS

/// `RekognitionLabeler`: the request it sends, the labels it parses, and a call to moto (whose
/// DetectLabels answer is canned: one "Mobile Phone" label whatever the image).
@Suite("RekognitionLabeler")
struct RekognitionLabelerTests {
    @Test("asks DetectLabels about the S3 object with MaxLabels and MinConfidence")
    func request() throws {
        let input = try JSONEncoder().encode(
            RekognitionLabeler.input(
                ObjectRef(bucket: "pam-storage", key: "a/lake.jpg"),
                query: LabelQuery(maxLabels: 10, minConfidence: 70)))
        let object = try #require(try JSONSerialization.jsonObject(with: input) as? [String: Any])
        let image = try #require((object["Image"] as? [String: Any])?["S3Object"] as? [String: String])
        #expect(image == ["Bucket": "pam-storage", "Name": "a/lake.jpg"])
        #expect(object["MaxLabels"] as? Int == 10)
        #expect(object["MinConfidence"] as? Double == 70)
    }

    @Test("parses Rekognition's labels with parents and categories")
    func parse() throws {
        let json = """
            {"Labels": [
              {"Name": "Forest", "Confidence": 97.5, "Parents": [{"Name": "Tree"}, {"Name": "Plant"}],
               "Categories": [{"Name": "Nature and Outdoors"}], "Aliases": [], "Instances": []},
              {"Name": "Lake", "Confidence": 80.25, "Parents": [], "Categories": [{"Name": "Nature and Outdoors"}]}
            ], "LabelModelVersion": "3.0"}
            """
        let labels = RekognitionLabeler.labels(try JSONDecoder().decode(RekognitionLabeler.DetectLabelsOutput.self, from: Data(json.utf8)))
        #expect(
            labels == [
                DetectedLabel(name: "Forest", confidence: 97.5, parents: ["Tree", "Plant"], categories: ["Nature and Outdoors"]),
                DetectedLabel(name: "Lake", confidence: 80.25, parents: [], categories: ["Nature and Outdoors"]),
            ])
    }

    /// moto answers its canned labels whatever the bytes, so only the checks on the query and the
    /// answer's shape apply; `imageChecks` (not a JPEG, over the byte limit) need a real Rekognition.
    @Test("Labeler conformance on moto", arguments: LabelerConformance.queryChecks)
    func conformance(_ check: LabelerConformance.Check) async throws {
        let client = try await Moto.client()
        let bucket = Moto.uniqueName("pam-rek")
        _ = try await AWSBootstrap(client: client).createBucket(bucket)
        let store = S3ObjectStore(client: client)
        try await check.run(LabelerConformance.Subject(labeler: RekognitionLabeler(client: client), store: store, bucket: bucket))
    }

    @Test("detects (canned) labels on moto")
    func moto() async throws {
        let client = try await Moto.client()
        let bucket = Moto.uniqueName("pam-rek")
        _ = try await AWSBootstrap(client: client).createBucket(bucket)
        let ref = ObjectRef(bucket: bucket, key: "photo.jpg")
        try await S3ObjectStore(client: client).put(
            ref, body: .data(Data([0xFF, 0xD8, 0xFF, 0xD9])), options: PutOptions(contentType: "image/jpeg"))
        let labels = try await RekognitionLabeler(client: client).detectLabels(in: ref, query: .default)
        #expect(labels.map(\.name) == ["Mobile Phone"])
        #expect(labels.first?.parents == ["Phone"])
        #expect(labels.first.map { $0.confidence > 99 } == true)
        // MinConfidence above the canned label's leaves nothing.
        #expect(try await RekognitionLabeler(client: client).detectLabels(in: ref, query: LabelQuery(minConfidence: 99.99)).isEmpty)
    }
}
