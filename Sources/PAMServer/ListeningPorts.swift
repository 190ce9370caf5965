/// The ports `pam serve` listens on once bound: the app's, and the AWS endpoint's when it runs.
public struct ListeningPorts: Sendable, Hashable {
    public var app: Int
    public var aws: Int?

    public init(app: Int, aws: Int?) {
        self.app = app
        self.aws = aws
    }
}

/// Collects the ports as each listener binds, and reports them once, when all are known.
actor ListeningPortsGate {
    private var app: Int?
    private var aws: Int?
    private let expectsAWS: Bool
    private let report: @Sendable (ListeningPorts) async -> Void

    init(expectsAWS: Bool, report: @escaping @Sendable (ListeningPorts) async -> Void) {
        self.expectsAWS = expectsAWS
        self.report = report
    }

    func appBound(_ port: Int) async {
        app = port
        await reportIfComplete()
    }

    func awsBound(_ port: Int) async {
        aws = port
        await reportIfComplete()
    }

    private func reportIfComplete() async {
        guard let app, !expectsAWS || aws != nil else { return }
        await report(ListeningPorts(app: app, aws: aws))
    }
}
