import Foundation

/// Where a model's draft sidecar (exit adapters, draft head, draft block: `DraftSidecarFile`)
/// lives, and loading it for use.
///
/// Looked for, in order: beside the model (`<model file>.exit-adapters.safetensors`, or
/// `exit-adapters.safetensors` inside a Hugging Face checkpoint directory), then in the cache
/// (`$XDG_CACHE_HOME/skipchat/adapters/<model name>-<file size>.safetensors`, used when the
/// model's directory is read-only).
public enum DraftSidecar {
    /// Adapters and draft head ready for a `ForwardPass`, with what to tell the user.
    public struct Loaded: Sendable {
        public var adapters: ExitAdapters?
        public var draftHead: DraftHead?
        public var draftBlock: DraftBlock?
        /// One line describing what is in use, e.g. "exit adapters L3,7,11 + 4096-token draft head
        /// (…/model.gguf.exit-adapters.safetensors)"; nil when nothing was loaded.
        public var summary: String?
        /// Why a sidecar that was found is not used (unreadable, or made for another model).
        public var warning: String?

        public static let none = Loaded()
    }

    /// The sidecar path beside the model.
    public static func besideModel(_ file: ModelFile) -> String {
        let path = NSString(string: file.path).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return URL(fileURLWithPath: path).appendingPathComponent("exit-adapters.safetensors").path
        }
        return path + ".exit-adapters.safetensors"
    }

    /// The sidecar path in the cache (name characters other than letters, digits, `.`, `-`, `_` become `_`).
    public static func inCache(_ file: ModelFile) -> String {
        let safe = String(file.name.unicodeScalars.map { c -> Character in
            CharacterSet.alphanumerics.contains(c) && c.isASCII || ".-_".unicodeScalars.contains(c) ? Character(c) : "_"
        })
        return LanguageModel.cacheDirectory.appendingPathComponent("adapters/\(safe)-\(file.fileSize).safetensors").path
    }

    /// The first sidecar that exists, or nil.
    public static func find(for file: ModelFile) -> String? {
        [besideModel(file), inCache(file)].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Where `skipchat calibrate` writes: beside the model when that directory is writable, else
    /// the cache (its directory is created).
    /// - Throws: Foundation's error when the cache directory cannot be created.
    public static func outputPath(for file: ModelFile) throws -> String {
        let beside = besideModel(file)
        if FileManager.default.isWritableFile(atPath: URL(fileURLWithPath: beside).deletingLastPathComponent().path) {
            return beside
        }
        let cached = inCache(file)
        try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: cached).deletingLastPathComponent().path,
                                                withIntermediateDirectories: true)
        return cached
    }

    /// Loads the sidecar of `file` if there is one (`path`, when given, instead of the usual
    /// places). Never throws: a corrupt sidecar, or one made for another model, is not used and
    /// `warning` says why.
    public static func load(for file: ModelFile, path: String? = nil) -> Loaded {
        guard let path = path ?? find(for: file) else { return .none }
        let sidecar: DraftSidecarFile
        do {
            sidecar = try DraftSidecarFile.read(path: path)
        } catch {
            return Loaded(warning: "exit adapters not used: \(error)")
        }
        if let problem = sidecar.mismatch(with: file) {
            return Loaded(warning: "exit adapters not used: \(path): \(problem)")
        }
        let adapters = sidecar.maps.isEmpty ? nil
            : ExitAdapters(hiddenSize: sidecar.settings.hiddenSize, maps: sidecar.maps, source: path)
        let head = sidecar.draftVocabulary.isEmpty ? nil : DraftHead(head: file.weights.lmHead, ids: sidecar.draftVocabulary)
        var parts: [String] = []
        if let block = sidecar.draftBlock {
            parts.append("draft block at L\(block.exitLayer)" + (block.agreement.map { String(format: " (agreement %.2f)", $0) } ?? ""))
        }
        if !sidecar.maps.isEmpty { parts.append("exit adapters L" + sidecar.layers.map(String.init).joined(separator: ",")) }
        if let head { parts.append("\(head.ids.count)-token draft head") }
        return Loaded(adapters: adapters, draftHead: head, draftBlock: sidecar.draftBlock?.makeBlock(),
                      summary: parts.joined(separator: " + ") + " (\(URL(fileURLWithPath: path).lastPathComponent))")
    }
}
