import Foundation

/// The shared `credentials` and `config` files, as AWS SDKs read them: INI sections of
/// `key = value` lines, `#`/`;` comments; in `config`, profiles are `[profile name]` (except
/// `[default]`), in `credentials` they are `[name]`.
public struct AWSProfileFile: Sendable, Hashable {
    /// Which of the two files this is; they name sections differently.
    public enum Kind: Sendable {
        case credentials, config
    }

    /// Profile name → its settings, keys lower-cased.
    public private(set) var profiles: [String: [String: String]] = [:]

    /// Parses `text`. Unknown sections (`[sso-session …]`, `[services …]`) are skipped, as are
    /// nested (indented) sub-settings.
    public init(parsing text: String, kind: Kind) {
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let end = line.firstIndex(of: "]") else {
                    current = nil
                    continue
                }
                let name = line[line.index(after: line.startIndex)..<end].trimmingCharacters(in: .whitespaces)
                current = Self.profileName(section: name, kind: kind)
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard let current, rawLine.first?.isWhitespace != true, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") ?? value.range(of: " ;") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            profiles[current, default: [:]][key] = value
        }
    }

    /// Reads the file at `path`; a missing file is an empty one, as for the SDKs.
    public init(contentsOf path: String, kind: Kind) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            self.init(parsing: "", kind: kind)
            return
        }
        self.init(parsing: try String(contentsOfFile: path, encoding: .utf8), kind: kind)
    }

    /// The value of `key` in `profile`, if set and not empty.
    public func value(_ key: String, profile: String) -> String? {
        guard let value = profiles[profile]?[key.lowercased()], !value.isEmpty else { return nil }
        return value
    }

    private static func profileName(section: String, kind: Kind) -> String? {
        switch kind {
        case .credentials:
            return section
        case .config:
            if section == "default" { return "default" }
            let parts = section.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == "profile" else { return nil }
            return parts[1]
        }
    }
}
