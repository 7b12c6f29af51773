/// Which files of a repository make the model, and the path to load afterwards.
public struct HubModelFiles: Sendable, Equatable {
    /// Repository-relative paths to download (or find in the cache).
    public let files: [String]
    /// The path to open, relative to the snapshot: the GGUF file, or "" for a checkpoint (the
    /// snapshot directory itself).
    public let modelPath: String

    /// The checkpoint files a model needs besides its `.safetensors` shards; those absent from the
    /// repository are skipped.
    static let checkpointFiles = ["config.json", "generation_config.json", "model.safetensors.index.json", "tokenizer.json",
                                  "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "tokenizer.model"]

    /// Picks from `available` (a repository's file list):
    /// - GGUF files (multimodal projectors `mmproj*` aside): `quant` picks the one whose name ends
    ///   in `-QUANT.gguf` or `.QUANT.gguf` (or is `QUANT.gguf`), case-insensitive; without `quant`, the only one.
    /// - No GGUF file: a checkpoint, `config.json` and the top-level `.safetensors` shards plus
    ///   `checkpointFiles` present.
    /// - Throws: `HubError.quantNotFound`, `.severalQuants` (the choices listed),
    ///   `.quantWithoutGGUF`, `.noModelFiles`.
    public static func pick(from available: [String], quant: String?, repository: String) throws(HubError) -> HubModelFiles {
        let ggufs = available.filter { $0.lowercased().hasSuffix(".gguf") && !baseName($0).lowercased().hasPrefix("mmproj") }.sorted()
        if !ggufs.isEmpty {
            if let quant {
                let tag = quant.uppercased()
                let matches = ggufs.filter { file in
                    let stem = String(baseName(file).dropLast(5)).uppercased()
                    guard stem.hasSuffix(tag) else { return false }
                    let before = stem.dropLast(tag.count).last
                    return before == nil || "-.".contains(before!)
                }
                guard let file = matches.first else { throw .quantNotFound(repository: repository, quant: quant, choices: choices(ggufs)) }
                return HubModelFiles(files: [file], modelPath: file)
            }
            guard ggufs.count == 1 else { throw .severalQuants(repository: repository, choices: choices(ggufs)) }
            return HubModelFiles(files: ggufs, modelPath: ggufs[0])
        }
        if let quant { throw .quantWithoutGGUF(repository: repository, quant: quant) }
        let shards = available.filter { !$0.contains("/") && $0.hasSuffix(".safetensors") }.sorted()
        guard available.contains("config.json"), !shards.isEmpty else { throw .noModelFiles(repository: repository) }
        return HubModelFiles(files: checkpointFiles.filter(available.contains) + shards, modelPath: "")
    }

    /// What a user types after `:` for each GGUF file: the last `-`/`.`-separated part of its
    /// name that looks like a quantisation (Q4_K_M, IQ2_XS, F16, BF16 …), else the file name.
    static func choices(_ ggufs: [String]) -> [String] {
        ggufs.map { file in
            let stem = String(baseName(file).dropLast(5))
            let parts = stem.split(whereSeparator: { $0 == "-" || $0 == "." })
            if let last = parts.last, looksLikeQuant(String(last)) { return String(last) }
            return file
        }
    }

    static func looksLikeQuant(_ text: String) -> Bool {
        let upper = text.uppercased()
        if ["F16", "BF16", "F32"].contains(upper) { return true }
        let body = upper.hasPrefix("IQ") ? upper.dropFirst(2) : upper.hasPrefix("Q") ? upper.dropFirst(1) : ""
        return body.first?.isNumber == true && body.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    static func baseName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
