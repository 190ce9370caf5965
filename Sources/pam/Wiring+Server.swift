import Foundation
import PAMCore
import PAMLocal
import PAMServer

/// The server's share of the wiring: local sign-in, object endpoint, photo validation, outbox.
extension Wiring {
    /// The local user pool; its issuer is the emulator's base URL, so the JWKS sits at
    /// `{issuer}/.well-known/jwks.json` as with Cognito.
    static func identityProvider(
        state: StateDirectory, emulator: EmulatorConfig, address: ServiceAddress,
        tokenLifetime: TimeInterval = 3600
    ) throws -> LocalIdentityProvider {
        try LocalIdentityProvider(
            state: state, address: address, clientID: emulator.clientId, user: emulator.localUser,
            tokenLifetime: tokenLifetime)
    }

    /// `PAM_COGNITO_*` in `environment` make a Cognito user pool verify the API's tokens, whatever the ports.
    func serverDependencies(
        emulator: EmulatorConfig, address: ServiceAddress,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServerDependencies {
        let identity = try Self.identityProvider(state: state, emulator: emulator, address: address)
        let validator = PhotoUploadValidator(gate: decodeGate)
        let analysis = self.analysis
        return ServerDependencies(
            config: config, store: store, table: table, analysis: analysis, download: download, lifecycle: lifecycle,
            tokens: aws?.tokenVerifier() ?? AWSWiring.tokenVerifier(environment: environment) ?? identity, identity: identity,
            presigned: localStore.map { LocalPresignedRequests(signer: $0.presigner, clock: clock) },
            // One decode per upload: the check is the analysis' own labelling (the local labeler).
            checkPhoto: { data in try await validator.labels(of: data) { try await analysis.labels(ofPhoto: $0) } },
            outbox: backends.notifier == .local ? OutboxFolder(state: state) : nil,
            uploadFolder: state.temporary, clock: clock, multipart: multipart,
            buckets: localStore, items: items, imageLabeler: labeler,
            topics: try SQLiteTopicRegistry(path: state.topics),
            topicNotifier: backends.notifier == .local ? notifier : try FileDropNotifier(state: state, clock: clock))
    }
}

extension Wiring {
    /// The AWS endpoint on `port`, with the keys of the configuration file and environment
    /// (`AWSEndpointSettings.credentials`); it serves the local store's buckets (`serverDependencies`).
    func awsEndpointSettings(
        port: Int, emulator: EmulatorConfig, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> AWSEndpointSettings {
        AWSEndpointSettings(
            port: port, credentials: AWSEndpointSettings.credentials(configured: emulator.awsAccessKeys, environment: environment))
    }
}

/// The local store's presigned URLs, checked against the wall clock.
struct LocalPresignedRequests: PresignedRequestVerifier {
    let signer: PresignedURLSigner
    let clock: any WallClock

    func verify(_ method: PresignMethod, _ ref: ObjectRef, expires: String?, signature: String?, contentType: String?) throws {
        try signer.verify(method, ref, expires: expires, signature: signature, contentType: contentType, now: clock.now())
    }
}

extension LocalIdentityProvider: SignInProvider {}

extension OutboxFolder: OutboxReader {
    public func recent(limit: Int) throws -> [(id: String, channel: String)] {
        try entries(limit: limit).map { ($0.id, $0.channel) }
    }
}
