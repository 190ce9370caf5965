import ArgumentParser
import Foundation
import PAMAWS
import PAMCore

/// `pam aws …`: AWS helpers.
struct AWSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws", abstract: "Work with the AWS backend (real AWS, or an emulator such as moto).",
        subcommands: [AWSBootstrapCommand.self])
}

/// `pam aws bootstrap`: the reference stack's buckets, table and topic on an endpoint.
struct AWSBootstrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Create the buckets (lifecycle, tiering, CORS), the label table and the topic.",
        discussion: """
            Names come from STORAGE_BUCKET_NAME, WORKING_BUCKET_NAME, LABELS_TABLE_NAME and NOTIFICATION_TOPIC; \
            credentials, region and endpoint as for the AWS CLI (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL …). \
            Safe to run twice. Example against moto: AWS_ENDPOINT_URL=http://127.0.0.1:5000 AWS_ACCESS_KEY_ID=test \
            AWS_SECRET_ACCESS_KEY=test pam aws bootstrap
            """)

    @Flag(name: .long, help: "Log debug detail to standard error.")
    var verbose = false

    func run() async throws {
        Wiring.bootstrapLogging(verbose: verbose)
        let environment = ProcessInfo.processInfo.environment
        let config = Wiring.pipelineConfig(environment)
        let aws = try AWSWiring(environment: environment)
        let endpoint = aws.client.configuration.endpointOverrides[.s3].map { " at \($0.absoluteString)" } ?? ""
        print("Bootstrapping PAM in \(aws.client.configuration.region)\(endpoint):")
        for line in try await AWSBootstrap(client: aws.client).run(aws.bootstrapNames(config), config: config) {
            print("  \(line)")
        }
    }
}
