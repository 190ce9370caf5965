/// Where `pam serve` finds the web page's files.
public enum WebPageSource: Sendable, Equatable {
    /// The copy of `Emulator/web` carried in the executable (`EmbeddedWebPage`).
    case embedded
    /// A folder on disk (`pam serve --web`), for working on the page without rebuilding.
    case folder(String)
}
