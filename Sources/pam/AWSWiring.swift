import Foundation
import Logging
import PAMAWS
import PAMCore

/// Which adapter each port gets: `PAM_BACKEND=local|aws` for all of them, then per-port overrides
/// `PAM_STORAGE`, `PAM_TABLE`, `PAM_LABELER`, `PAM_NOTIFIER`.
struct BackendSelection: Sendable, Hashable {
    enum Backend: String, Sendable, CaseIterable {
        case local, aws
    }

    var storage: Backend
    var table: Backend
    var labeler: Backend
    var notifier: Backend

    static let allLocal = BackendSelection(storage: .local, table: .local, labeler: .local, notifier: .local)

    /// Whether any port talks to AWS.
    var usesAWS: Bool { [storage, table, labeler, notifier].contains(.aws) }

    /// The selection in `environment`; unknown values and impossible mixes are errors.
    static func resolve(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BackendSelection {
        func backend(_ name: String, default fallback: Backend) throws -> Backend {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces).lowercased(), !text.isEmpty else { return fallback }
            guard let backend = Backend(rawValue: text) else {
                throw PAMError(.invalidArgument, "\(name) must be local or aws, not '\(text)'")
            }
            return backend
        }
        let all = try backend("PAM_BACKEND", default: .local)
        let selection = BackendSelection(
            storage: try backend("PAM_STORAGE", default: all), table: try backend("PAM_TABLE", default: all),
            labeler: try backend("PAM_LABELER", default: all), notifier: try backend("PAM_NOTIFIER", default: all))
        // Rekognition reads the photo from S3 itself, so it needs the photos there.
        if selection.labeler == .aws, selection.storage != .aws {
            throw PAMError(.invalidArgument, "PAM_LABELER=aws (Rekognition) needs PAM_STORAGE=aws: Rekognition reads photos from S3")
        }
        return selection
    }
}

/// The AWS adapters, configured as the AWS SDKs and the reference Lambdas are: credentials, region
/// and endpoints from `AWS_*` variables and the shared files; names from `LABELS_TABLE_NAME` and
/// `NOTIFICATION_TOPIC` (the buckets come from `PipelineConfig`, i.e. `STORAGE_BUCKET_NAME` and
/// `WORKING_BUCKET_NAME`).
struct AWSWiring: Sendable {
    let client: AWSClient
    /// `LABELS_TABLE_NAME`, default `pam-labels`.
    let labelsTable: String
    /// `NOTIFICATION_TOPIC`, default `pam-notify`: the topic `pam aws bootstrap` creates, and the
    /// prefix of the per-recipient topics.
    let notificationTopic: String
    /// Keys the hash that names per-recipient topics: `PAM_TOPIC_NAME_KEY`, else derived from the
    /// secret access key.
    let topicNameKey: Data
    let environment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger = Logger(label: "pam.aws")) throws {
        let configuration = try AWSConfiguration.resolve(environment: environment)
        client = AWSClient(configuration: configuration, logger: logger)
        func name(_ variable: String, _ fallback: String) -> String {
            environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
        }
        labelsTable = Wiring.pipelineConfig(environment).labelTable
        notificationTopic = name("NOTIFICATION_TOPIC", "pam-notify")
        if let key = environment["PAM_TOPIC_NAME_KEY"], !key.isEmpty {
            topicNameKey = Data(key.utf8)
        } else {
            topicNameKey = SNSNotifier.nameKey(derivedFrom: configuration.credentials)
        }
        self.environment = environment
    }

    var store: S3ObjectStore { S3ObjectStore(client: client) }
    var table: DynamoDBLabelTable { DynamoDBLabelTable(client: client, tableName: labelsTable) }
    var labeler: RekognitionLabeler { RekognitionLabeler(client: client) }
    var notifier: SNSNotifier { SNSNotifier(client: client, topicPrefix: notificationTopic, nameKey: topicNameKey) }

    /// A verifier for a real Cognito user pool, when `PAM_COGNITO_USER_POOL_ID` and
    /// `PAM_COGNITO_CLIENT_ID` are set (`PAM_COGNITO_JWKS_URL` and `PAM_COGNITO_ISSUER` point it
    /// at an emulator); nil otherwise, and the local sign-in is used.
    func tokenVerifier() -> CognitoTokenVerifier? {
        Self.tokenVerifier(environment: environment, defaultRegion: client.configuration.region)
    }

    /// The same, from the environment alone: a user pool needs no AWS credentials and no AWS
    /// port, so `pam serve` with every port local can still sign users in with Cognito.
    static func tokenVerifier(environment: [String: String], defaultRegion: String? = nil) -> CognitoTokenVerifier? {
        guard let pool = environment["PAM_COGNITO_USER_POOL_ID"], !pool.isEmpty,
            let clientID = environment["PAM_COGNITO_CLIENT_ID"], !clientID.isEmpty
        else { return nil }
        let fallback =
            defaultRegion ?? [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]].compactMap { $0 }.first { !$0.isEmpty }
            ?? "us-east-1"
        let region = pool.contains("_") ? String(pool.split(separator: "_")[0]) : fallback
        return CognitoTokenVerifier(
            region: region, userPoolID: pool, clientID: clientID,
            jwksURL: environment["PAM_COGNITO_JWKS_URL"].flatMap { URL(string: $0) },
            issuer: environment["PAM_COGNITO_ISSUER"].flatMap { $0.isEmpty ? nil : $0 })
    }

    /// What `pam aws bootstrap` creates.
    func bootstrapNames(_ config: PipelineConfig) -> AWSBootstrap.Names {
        AWSBootstrap.Names(
            storageBucket: config.storageBucket, workingBucket: config.workingBucket,
            labelsTable: labelsTable, notificationTopic: notificationTopic)
    }
}
