import Foundation
import PAMTestSupport
import Testing

/// The app's label table is the endpoint's DynamoDB table `pam-labels`: what the page uploads
/// shows in `aws dynamodb scan`, what a handler writes with `aws dynamodb update-item` shows in
/// `GET /api/labels`, counted exactly once either way.
@Suite("One label table: the app's and the AWS endpoint's pam-labels", .serialized)
struct LabelTableOnEndpointTests {
    /// `aws dynamodb …` as JSON.
    func dynamodb(_ clients: AWSClients, _ arguments: [String]) async throws -> (status: Int32, json: [String: Any], transcript: String) {
        let result = try await clients.aws(["dynamodb"] + arguments + ["--output", "json"])
        let json = (try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]) ?? [:]
        return (result.status, json, result.transcript)
    }

    /// Label → (Count, Images) from a whole `aws dynamodb scan` (the CLI follows the pages).
    func scan(_ clients: AWSClients) async throws -> [String: (count: Int?, images: [String])] {
        let scanned = try await dynamodb(clients, ["scan", "--table-name", "pam-labels", "--page-size", "3"])
        #expect(scanned.status == 0, "\(scanned.transcript)")
        var labels: [String: (count: Int?, images: [String])] = [:]
        for item in scanned.json["Items"] as? [[String: [String: Any]]] ?? [] {
            guard let label = item["Label"]?["S"] as? String else { continue }
            labels[label] = ((item["Count"]?["N"] as? String).flatMap { Int($0) }, item["Images"]?["SS"] as? [String] ?? [])
        }
        return labels
    }

    @Test("uploads through the page appear in aws dynamodb scan; update-item on pam-labels appears in GET /api/labels")
    func bothDoors() async throws {
        try await AWSEndpointTests.withServer { server, clients in
            let token = try await server.signIn()
            let photos = Array(ServeTests.photos.prefix(6))
            var keys: [String] = []
            for photo in photos {
                let url = try await server.upload(Data(contentsOf: photo), fileName: photo.lastPathComponent, token: token)
                keys.append(try #require(URL(string: url)?.lastPathComponent))
            }
            try await server.waitForAnalysis(token: token)
            let counts = try await server.labelCounts(token: token)
            #expect(counts == (try ServeTests.expectedCounts(photos)))
            #expect(!counts.isEmpty)

            // The page's uploads, seen by the DynamoDB door: every label, its count, its images.
            let scanned = try await scan(clients)
            #expect(scanned.mapValues { $0.count ?? -1 }.filter { $0.value > 0 } == counts)
            for (label, entry) in scanned where (entry.count ?? 0) > 0 {
                #expect(entry.images.count == entry.count, "\(label): \(entry)")
                #expect(entry.images.allSatisfy { keys.contains($0) }, "\(label): \(entry.images)")
            }
            let described = try await dynamodb(clients, ["describe-table", "--table-name", "pam-labels"])
            #expect((described.json["Table"] as? [String: Any])?["ItemCount"] as? Int == scanned.count, "\(described.transcript)")

            // A handler's exactly-once update, through the aws CLI, counts in the app; repeated, it fails its condition.
            let update = [
                "update-item", "--table-name", "pam-labels", "--key", #"{"Label": {"S": "Aurora"}}"#,
                "--update-expression", "ADD #c :one, Images :img", "--condition-expression", "NOT contains(Images, :key)",
                "--expression-attribute-names", ##"{"#c": "Count"}"##, "--expression-attribute-values",
                #"{":one": {"N": "1"}, ":img": {"SS": ["\#(keys[0])"]}, ":key": {"S": "\#(keys[0])"}}"#,
            ]
            let first = try await dynamodb(clients, update)
            #expect(first.status == 0, "\(first.transcript)")
            let again = try await dynamodb(clients, update)
            #expect(again.status != 0 && again.transcript.contains("ConditionalCheckFailedException"), "\(again.transcript)")
            var expected = counts
            expected["Aurora"] = 1
            #expect(try await server.labelCounts(token: token) == expected)

            // Set outright (a count and attributes the app does not own), and deleted: the app follows.
            let put = try await dynamodb(
                clients,
                [
                    "put-item", "--table-name", "pam-labels", "--item",
                    #"{"Label": {"S": "Comet"}, "Count": {"N": "7"}, "note": {"M": {"by": {"S": "handler"}}}, "images": {"L": [{"S": "x.jpg"}]}}"#,
                ])
            #expect(put.status == 0, "\(put.transcript)")
            let comet = try await dynamodb(clients, ["get-item", "--table-name", "pam-labels", "--key", #"{"Label": {"S": "Comet"}}"#])
            let item = try #require(comet.json["Item"] as? [String: [String: Any]], "\(comet.transcript)")
            #expect(item["Count"]?["N"] as? String == "7" && item["note"] != nil && item["images"] != nil, "\(item)")
            expected["Comet"] = 7
            #expect(try await server.labelCounts(token: token) == expected)
            let deleted = try await dynamodb(
                clients, ["delete-item", "--table-name", "pam-labels", "--key", #"{"Label": {"S": "Aurora"}}"#])
            #expect(deleted.status == 0, "\(deleted.transcript)")
            expected["Aurora"] = nil
            #expect(try await server.labelCounts(token: token) == expected)

            // The app's table is always there and cannot be dropped.
            let drop = try await dynamodb(clients, ["delete-table", "--table-name", "pam-labels"])
            #expect(drop.status != 0 && drop.transcript.contains("ResourceInUseException"), "\(drop.transcript)")
            #expect(try await server.labelCounts(token: token) == expected)
        }
    }

    @Test("README's boto3 example, the reference app's flow (upload, detect, count, bundle, publish), runs against pam serve as shown")
    func referenceFlow() async throws {
        let script = CLITests.packageRoot.appendingPathComponent("Emulator/examples/reference_flow.py")
        let readme = try String(contentsOf: CLITests.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(
            readme.contains(try String(contentsOf: script, encoding: .utf8)), "README shows Emulator/examples/reference_flow.py verbatim")
        try await AWSEndpointTests.withServer { server, clients in
            let photos = Array(ServeTests.photos.prefix(4))
            let run = try await ExternalProcess.run(clients.environment + ["python3", script.path] + photos.map(\.path))
            #expect(run.status == 0, "\(run.transcript)")
            let summary = try #require(run.output.split(separator: "\n").last { $0.hasPrefix("bundle of ") }, "\(run.output)")
            // Its counts are the app's: each label it printed counts at least its photos in GET /api/labels.
            let token = try await server.signIn()
            let counts = try await server.labelCounts(token: token)
            for line in run.output.split(separator: "\n") where line.hasSuffix("]") {
                for label in line.split(separator: "[").last!.dropLast().split(separator: ",") {
                    let name = label.trimmingCharacters(in: CharacterSet(charactersIn: " '"))
                    #expect((counts[name] ?? 0) >= 1, "\(name) in \(counts)")
                }
            }
            // The published message holds the presigned link; the link serves a zip of the label's photos.
            let outbox = server.state.appendingPathComponent("outbox")
            let messages = try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }
            #expect(messages.count == 1, "\(messages)")
            let link = try #require(summary.split(separator: " ").last.map(String.init))
            let zip = try await HTTP.request("GET", link)
            #expect(zip.status == 200 && zip.body.starts(with: [0x50, 0x4B, 0x03, 0x04]), "\(zip.status)")
            let text = try String(contentsOf: outbox.appendingPathComponent(try #require(messages.first)), encoding: .utf8)
            #expect(text.contains("To: <me@example.com>"), "\(text)")
            #expect(!server.log().contains("me@example.com"))
        }
    }
}
