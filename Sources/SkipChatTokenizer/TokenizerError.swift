/// Why a tokenizer could not be built or a request could not be served.
/// Every case's `description` is one line that names the offending file field or value.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The vocabulary's model type is not BPE (`tokenizer.ggml.model`, or `model.type` of tokenizer.json).
    case unsupportedModel(String)
    /// The pre-tokenizer is not one of GPT-2, Llama 3, SmolLM2/StarCoder or SentencePiece.
    case unsupportedPreTokenizer(String)
    /// A normalizer other than the SentencePiece space handling is configured.
    case unsupportedNormalizer(String)
    /// A required field is absent or has the wrong shape.
    case missingField(String)
    /// A field is present but its value cannot be used.
    case invalidField(String, reason: String)
    /// A file could not be read or parsed.
    case unreadableFile(path: String, reason: String)
    /// `decode` was given an id outside the vocabulary.
    case unknownTokenID(Int32, vocabularySize: Int)

    public var description: String {
        switch self {
        case .unsupportedModel(let type):
            return "unsupported tokenizer model type '\(type)' (only BPE: gpt2 byte-level or SentencePiece llama)"
        case .unsupportedPreTokenizer(let what):
            return "unsupported pre-tokenizer \(what) (supported: gpt2, llama3, qwen2, smollm/starcoder, SentencePiece)"
        case .unsupportedNormalizer(let what):
            return "unsupported tokenizer normalizer \(what)"
        case .missingField(let field):
            return "tokenizer field '\(field)' is missing"
        case .invalidField(let field, let reason):
            return "tokenizer field '\(field)' is invalid: \(reason)"
        case .unreadableFile(let path, let reason):
            return "cannot read tokenizer file \(path): \(reason)"
        case .unknownTokenID(let id, let size):
            return "unknown token id \(id) (vocabulary has \(size) tokens, ids 0..<\(size))"
        }
    }
}
