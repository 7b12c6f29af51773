import Foundation

extension ModelFile {
    /// Longest `general.name` shown as it is.
    public static let displayNameLimit = 24

    /// A short name for the status bar: `general.name` when it has at most `displayNameLimit`
    /// characters; else `general.basename` and `general.size_label` joined by "-" (llama.cpp's
    /// naming convention, e.g. "smollm2-135M") when the file has both; else the file or directory
    /// name without extension.
    public var displayName: String {
        if name.count <= Self.displayNameLimit { return name }
        if let base = metadata["general.basename"]?.string, !base.isEmpty,
           let size = metadata["general.size_label"]?.string, !size.isEmpty {
            return "\(base)-\(size)"
        }
        return URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    }
}
