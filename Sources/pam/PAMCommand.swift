import ArgumentParser

@main
struct PAMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pam",
        abstract: "Photo Asset Management, offline: store photos, detect labels, bundle them by label.",
        subcommands: [
            ImportCommand.self, LabelsCommand.self, DownloadCommand.self, LifecycleCommand.self,
            DemoCommand.self, BenchCommand.self, ServeCommand.self, TokenCommand.self, AWSCommand.self, EvalCommand.self, TrainCommand.self,
        ])
}
