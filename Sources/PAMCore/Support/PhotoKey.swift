import Foundation

/// Object keys of the pipeline: `{uuid}-{name}.jpg` photos and `{uuid}.zip` bundles.
public enum PhotoKey {
    /// A new storage key for a photo uploaded as `fileName`: `{uuid}-{name}.jpg`, with the name
    /// reduced to its last path component and to characters safe in keys and zip entries.
    public static func make(fileName: String, id: UUID = UUID()) -> String {
        let base = fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var stem = base
        if let dot = base.lastIndex(of: "."), isJPEG(base) { stem = String(base[..<dot]) }
        // ASCII letters and digits, `-`, `_` and `.`; anything else becomes `_`.
        let safe = String(
            String.UnicodeScalarView(
                stem.unicodeScalars.prefix(100).map { scalar in
                    switch scalar {
                    case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": scalar
                    default: "_"
                    }
                }))
        let name = safe.allSatisfy { $0 == "." } ? "photo" : safe
        return "\(id.uuidString.lowercased())-\(name).jpg"
    }

    /// A new working-bucket key for a zip bundle.
    public static func makeBundle(id: UUID = UUID()) -> String { "\(id.uuidString.lowercased()).zip" }

    /// Whether the key names a JPEG by its extension (`.jpg`/`.jpeg`, any case): the analysis trigger.
    public static func isJPEG(_ key: String) -> Bool {
        let lower = key.lowercased()
        return lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg")
    }
}
