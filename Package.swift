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
    ],
    targets: [
        .systemLibrary(
            name: "CTurboJPEG",
            pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev"])]
        ),
        .target(
            name: "PAMCore",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "PAMLocal",
            dependencies: [
                "PAMCore",
                "CTurboJPEG",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "pam",
            dependencies: [
                "PAMCore",
                "PAMLocal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The shared conformance suites every adapter of a port must pass.
        .target(name: "PAMConformance", dependencies: ["PAMCore"], path: "Tests/PAMConformance"),
        .testTarget(name: "PAMCoreTests", dependencies: ["PAMCore"]),
        // Runs the built `pam` executable as a user would.
        .testTarget(name: "PAMCLITests", dependencies: ["pam"]),
        .testTarget(
            name: "PAMLocalTests",
            dependencies: [
                "PAMCore", "PAMLocal", "PAMConformance",
                .product(name: "Logging", package: "swift-log"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
    ]
)
