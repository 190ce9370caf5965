// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "PAM",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pam", targets: ["pam"]),
        .library(name: "PAMCore", targets: ["PAMCore"]),
        .library(name: "PAMLocal", targets: ["PAMLocal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        // CRC-32 and CRC-32C by carry-less-multiply folding (PCLMULQDQ, detected at run time) with a
        // table fallback: C, so the SIMD functions alone carry target attributes and the package builds anywhere.
        .target(name: "CCRC32"),
        // MD5 of many buffers side by side in SIMD lanes (AVX2, detected at run time; portable C
        // elsewhere): the ETags of the photos an import stores together.
        .target(name: "CMD5"),
        .target(
            name: "PAMCore",
            dependencies: ["CCRC32", .product(name: "Logging", package: "swift-log")]
        ),
        // JSON Web Tokens: strict base64url, RS256, JWKS, and the one id-token claims check every
        // TokenVerifier uses. PAMCore for the verifiers' contract (PAMError codes, UserIdentity, WallClock).
        .target(
            name: "PAMWebToken",
            dependencies: [
                "PAMCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "PAMLocal",
            dependencies: [
                "PAMCore",
                "PAMWebToken",
                "CTurboJPEG",
                "CMD5",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "PAMServer",
            dependencies: [
                "PAMCore",
                "PAMSigV4",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "pam",
            dependencies: [
                "PAMCore",
                "PAMLocal",
                "PAMServer",
                "PAMAWS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // AWS Signature Version 4 in both directions on one canonicalisation: the signer the AWS
        // adapters use, and the verifier, aws-chunked decoder and body checks of the AWS endpoint.
        .target(
            name: "PAMSigV4",
            dependencies: ["PAMCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "PAMAWS",
            dependencies: [
                "PAMCore",
                "PAMSigV4",
                "PAMWebToken",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the tests share: the conformance suites every adapter of a port must pass, in-memory
        // fakes of the ports (which pass them too), fixtures, and process and log helpers.
        .target(
            name: "PAMTestSupport",
            dependencies: [
                "PAMCore", "PAMWebToken", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Tests/PAMTestSupport"
        ),
        // The services on the in-memory fakes.
        .testTarget(name: "PAMCoreTests", dependencies: ["PAMCore", "PAMTestSupport", "CCRC32"]),
        .testTarget(
            name: "PAMWebTokenTests",
            dependencies: ["PAMWebToken", "PAMCore", .product(name: "_CryptoExtras", package: "swift-crypto")]
        ),
        // AWS's SigV4 suite signed and verified, chunked bodies decoded, checksums checked; botocore's
        // own aws-chunked bodies as a real client's.
        .testTarget(
            name: "PAMSigV4Tests",
            dependencies: ["PAMSigV4", "PAMCore", "PAMTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // AWS adapters against moto (started by the tests), and `pam` itself on moto.
        .testTarget(
            name: "PAMAWSTests",
            dependencies: [
                "pam", "PAMCore", "PAMLocal", "PAMAWS", "PAMSigV4", "PAMWebToken", "PAMTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PAMServerTests",
            dependencies: [
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                "PAMCore", "PAMServer", "PAMLocal", "PAMTestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        // Runs the built `pam` executable as a user would.
        .testTarget(name: "PAMCLITests", dependencies: ["pam", "PAMCore", "PAMLocal", "PAMTestSupport"]),
        // Fuzzing (README "Fuzzing"): every parser that sees untrusted bytes, with its properties;
        // the corpora under Fixtures/fuzz run as tests, the fuzz-* executables below under libFuzzer.
        .systemLibrary(name: "CFuzzerDriver"),
        .target(
            name: "PAMFuzzing",
            dependencies: [
                "PAMCore", "PAMLocal", "PAMServer", "PAMAWS", "PAMWebToken", "CFuzzerDriver",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "PAMFuzzingTests", dependencies: ["PAMFuzzing", "PAMCore"]),
        .testTarget(
            name: "PAMLocalTests",
            dependencies: [
                "PAMCore", "PAMLocal", "PAMWebToken", "PAMTestSupport", "CMD5",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
    ]
)

// One libFuzzer executable per parser, declared only for fuzz builds (`Emulator/fuzz/run.sh` sets
// PAM_FUZZ=1) so everyday builds do not link ten more programs.
if Context.environment["PAM_FUZZ"] == "1" {
    for name in ["range", "zip", "jpeg", "presigned-url", "jwt", "object-key", "api-body", "recipient", "s3-xml", "dynamodb-expression"] {
        package.targets.append(.executableTarget(name: "fuzz-\(name)", dependencies: ["PAMFuzzing"], path: "Sources/fuzz-\(name)"))
    }
}
