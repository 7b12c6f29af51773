/// A model on the Hub as a user names it: `ORG/NAME` or `ORG/NAME:QUANT` (after `hf:` in `--model`).
/// `QUANT` picks one GGUF file of a repository holding several (case-insensitive, as llama-cli's
/// `-hf` does), e.g. `bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M`.
public struct HubModelReference: Sendable, Equatable, CustomStringConvertible {
    /// `ORG/NAME`.
    public let repository: String
    /// The quantisation tag after `:`, as given; nil when absent.
    public let quant: String?

    /// The prefix that marks a `--model` value as a Hub reference.
    public static let prefix = "hf:"

    /// Parses `ORG/NAME[:QUANT]` (without the `hf:` prefix).
    ///
    /// Repository names follow the Hub's rule (huggingface_hub `validate_repo_id`): letters,
    /// digits, `-`, `_`, `.`; at most 96 characters per part; no `--` or `..`; not starting or
    /// ending with `-` or `.`.
    /// - Throws: `HubError.invalidReference` naming what is wrong.
    public init(parsing text: String) throws(HubError) {
        guard !text.contains("://") else {
            throw .invalidReference(text, reason: "name the model as ORG/NAME[:QUANT], not by its URL (HF_ENDPOINT names the server)")
        }
        var repositoryText = Substring(text)
        var quant: String?
        if let colon = text.firstIndex(of: ":") {
            repositoryText = text[..<colon]
            let tag = text[text.index(after: colon)...]
            guard !tag.isEmpty, tag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) else {
                throw .invalidReference(text, reason: "the quantisation after ':' must be letters, digits, '_', '-' or '.'")
            }
            quant = String(tag)
        }
        let parts = repositoryText.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .invalidReference(text, reason: "a model is named ORG/NAME") }
        for part in parts {
            guard !part.isEmpty, part.count <= 96 else { throw .invalidReference(text, reason: "ORG and NAME are 1 to 96 characters") }
            guard part.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) else {
                throw .invalidReference(text, reason: "ORG and NAME may hold only letters, digits, '-', '_' and '.'")
            }
            guard !part.contains("--"), !part.contains(".."), !part.hasPrefix("-"), !part.hasPrefix("."),
                  !part.hasSuffix("-"), !part.hasSuffix(".") else {
                throw .invalidReference(text, reason: "ORG and NAME may not hold '--' or '..' nor start or end with '-' or '.'")
            }
        }
        self.repository = String(repositoryText)
        self.quant = quant
    }

    /// The folder of this repository in the cache: `models--ORG--NAME` (huggingface_hub `repo_folder_name`).
    public var cacheFolderName: String { "models--" + repository.replacingOccurrences(of: "/", with: "--") }

    public var description: String { repository + (quant.map { ":" + $0 } ?? "") }
}
