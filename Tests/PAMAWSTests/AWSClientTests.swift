import Foundation
import PAMCore
import PAMTestSupport
import Testing

@testable import PAMAWS

/// Error answers, retries and timeouts of the shared client.
@Suite("AWSClient errors and retries")
struct AWSClientTests {
    @Test("reads codes and messages from JSON, S3 XML and query XML error answers")
    func parseErrors() {
        let json = AWSServiceError.parse(
            service: .dynamodb, operation: "UpdateItem", status: 400, headers: [("x-amzn-RequestId", "R1")],
            body: Data(
                """
                {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}
                """.utf8))
        #expect(
            json.code == "ConditionalCheckFailedException" && json.message == "The conditional request failed" && json.requestID == "R1")
        #expect(!json.isRetryable)
        let s3 = AWSServiceError.parse(
            service: .s3, operation: "GetObject", status: 404, headers: [],
            body: Data(
                """
                <?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a &amp; b</Key></Error>
                """.utf8))
        #expect(s3.code == "NoSuchKey" && s3.message == "The specified key does not exist.")
        let query = AWSServiceError.parse(
            service: .sns, operation: "Publish", status: 400, headers: [],
            body: Data(
                """
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>x</RequestId></ErrorResponse>
                """.utf8))
        #expect(query.code == "Throttling" && query.isRetryable)
        let empty = AWSServiceError.parse(service: .s3, operation: "HeadObject", status: 404, headers: [], body: Data())
        #expect(empty.code == "NotFound")
        let header = AWSServiceError.parse(
            service: .rekognition, operation: "DetectLabels", status: 400,
            headers: [("X-Amzn-ErrorType", "InvalidImageFormatException:http://internal")], body: Data("{}".utf8))
        #expect(header.code == "InvalidImageFormatException")
        #expect(AWSServiceError(service: .s3, operation: "PutObject", status: 503, code: "SlowDown", message: "").isRetryable)
        #expect(AWSServiceError(service: .s3, operation: "PutObject", status: 500, code: "InternalError", message: "").isRetryable)
    }

    @Test("backoff is exponential, jittered and capped")
    func backoff() {
        let full = AWSRetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(2), random: { 0.999999 })
        #expect(full.delay(beforeRetry: 1) <= .milliseconds(100) && full.delay(beforeRetry: 1) > .milliseconds(99))
        #expect(full.delay(beforeRetry: 3) <= .milliseconds(400) && full.delay(beforeRetry: 3) > .milliseconds(399))
        #expect(full.delay(beforeRetry: 9) <= .seconds(2) && full.delay(beforeRetry: 9) > .milliseconds(1999))
        #expect(full.delay(beforeRetry: 60) <= .seconds(2))
        let none = AWSRetryPolicy(random: { 0 })
        #expect(none.delay(beforeRetry: 5) == .zero)
    }

    @Test("an unreachable endpoint is retried, then reported with the service and operation")
    func unreachable() async throws {
        let retries = Counter()
        let policy = AWSRetryPolicy(
            maxAttempts: 3, baseDelay: .milliseconds(10),
            random: {
                _ = retries.next()
                return 0.5
            })
        let unanswered = try UnansweredPort()
        defer { withExtendedLifetime(unanswered) {} }
        let configuration = AWSConfiguration(
            credentials: Moto.credentials, region: "us-east-1",
            endpointOverrides: [.dynamodb: try #require(URL(string: "http://127.0.0.1:\(unanswered.port)"))])
        // AsyncHTTPClient keeps retrying a refused connection until the deadline, so keep it short.
        let client = AWSClient(configuration: configuration, retry: policy, requestTimeout: .seconds(1))
        let table = DynamoDBLabelTable(client: client, tableName: "t")
        do {
            _ = try await table.allLabels()
            Issue.record("expected an error")
        } catch let error as PAMError {
            #expect(error.code == .table)
            #expect(error.underlying is AWSTransportError)
        }
        #expect(retries.next() == 2, "two retries after the first attempt")
    }

    @Test("throttling and 5xx answers are retried until they succeed; other errors are not")
    func retriesThrottling() async throws {
        let server = try ScriptedServer(answers: [
            (503, #"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}"#),
            (500, #"{"__type":"InternalServerError","message":"oops"}"#),
            (200, #"{"Items":[{"Label":{"S":"Sky"},"Count":{"N":"2"}}]}"#),
            (400, #"{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"bad"}"#),
            (200, #"{"Items":[]}"#),
        ])
        defer { server.stop() }
        let policy = AWSRetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(5))
        let configuration = AWSConfiguration(credentials: Moto.credentials, region: "us-east-1", endpointOverrides: [.dynamodb: server.url])
        let table = DynamoDBLabelTable(client: AWSClient(configuration: configuration, retry: policy), tableName: "t")
        #expect(try await table.allLabels() == [LabelCount(label: "Sky", count: 2)])
        do {
            _ = try await table.allLabels()
            Issue.record("expected a validation error")
        } catch let error as PAMError {
            #expect(error.code == .invalidArgument && error.message.contains("ValidationException: bad"))
        }
        #expect(server.requestCount() == 4, "three attempts for the first call, one for the second")
    }

    @Test("a request that takes too long times out")
    func timeout() async throws {
        // The server would answer after 30 s with a valid body; the client gives up after 1 s with a
        // time-out error. The error's kind is the proof: had the client waited for the answer, the
        // call would have succeeded. (No wall-clock bound: a busy machine schedules slowly. The
        // deadline is kept however busy: it fires on a thread of its own, counted from the call.)
        let server = try ScriptedServer(answers: [(200, "{}")], delay: 30)
        defer { server.stop() }
        let configuration = AWSConfiguration(credentials: Moto.credentials, region: "us-east-1", endpointOverrides: [.dynamodb: server.url])
        let client = AWSClient(configuration: configuration, retry: .none, requestTimeout: .seconds(1))
        // Whichever fires first: the HTTP client's deadline or our own guard around the attempt.
        await #expect { _ = try await DynamoDBLabelTable(client: client, tableName: "t").allLabels() } throws: { error in
            "\(error)".contains("deadlineExceeded") || "\(error)".contains("no complete answer within")
        }
    }
}

/// A tiny HTTP server (Python's http.server) that gives scripted answers in order and counts requests.
final class ScriptedServer: @unchecked Sendable {
    let url: URL
    private let process: Process
    private let countFile: URL

    init(answers: [(Int, String)], delay: Double = 0) throws {
        countFile = FileManager.default.temporaryDirectory.appendingPathComponent("pam-scripted-\(UUID().uuidString)")
        let script = """
            import json, os, sys, threading, time, http.server
            parent = os.getppid()
            def watch():
                while os.getppid() == parent:
                    time.sleep(0.5)
                os._exit(0)
            threading.Thread(target=watch, daemon=True).start()
            answers = json.loads(sys.argv[1]); delay = float(sys.argv[2]); count_file = sys.argv[3]
            state = {"n": 0}
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length", "0")))
                    status, body = answers[min(state["n"], len(answers) - 1)]
                    state["n"] += 1
                    open(count_file, "w").write(str(state["n"]))
                    time.sleep(delay)
                    data = body.encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/x-amz-json-1.0")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                def log_message(self, *args):
                    pass
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
            print(server.server_address[1], flush=True)
            server.serve_forever()
            """
        let answersJSON = try JSONSerialization.data(withJSONObject: answers.map { [$0.0, $0.1] as [Any] })
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(decoding: answersJSON, as: UTF8.self), String(delay), countFile.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self)), let url = URL(string: "http://127.0.0.1:\(port)") else {
            process.terminate()
            throw PAMError(.io, "the scripted server did not start")
        }
        self.url = url
    }

    func requestCount() -> Int {
        (try? String(contentsOf: countFile, encoding: .utf8)).flatMap { Int($0) } ?? 0
    }

    func stop() {
        process.terminate()
        try? FileManager.default.removeItem(at: countFile)
    }
}
