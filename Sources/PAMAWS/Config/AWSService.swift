import Foundation
import PAMSigV4

/// The AWS services PAM talks to, with what differs between them on the wire.
public enum AWSService: String, Sendable, Hashable, CaseIterable {
    case s3
    case dynamodb
    case rekognition
    case sns
    case cognitoIdentityProvider = "cognito-idp"

    /// The name in the SigV4 credential scope.
    public var signingName: String { rawValue }

    /// The suffix of `AWS_ENDPOINT_URL_<SERVICE>`, from the service id as the SDKs spell it.
    public var endpointVariableSuffix: String {
        switch self {
        case .s3: "S3"
        case .dynamodb: "DYNAMODB"
        case .rekognition: "REKOGNITION"
        case .sns: "SNS"
        case .cognitoIdentityProvider: "COGNITO_IDENTITY_PROVIDER"
        }
    }

    /// The key of a `[services]` section in the config file (not read yet) and of log metadata.
    public var serviceID: String {
        switch self {
        case .s3: "s3"
        case .dynamodb: "dynamodb"
        case .rekognition: "rekognition"
        case .sns: "sns"
        case .cognitoIdentityProvider: "cognito_identity_provider"
        }
    }

    /// The public endpoint in `region` (the `aws` partition; `aws-cn` gets `.amazonaws.com.cn`).
    public func defaultEndpoint(region: String) -> URL {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        // A region name is letters, digits and dashes; anything else would not make a host.
        let host = "\(rawValue).\(region).\(suffix)"
        return URL(string: "https://\(host)") ?? URL(fileURLWithPath: "/")
    }

    /// Signing rules of the service.
    public var signingRules: SigV4Signer.Rules {
        self == .s3 ? .s3 : .standard
    }
}
