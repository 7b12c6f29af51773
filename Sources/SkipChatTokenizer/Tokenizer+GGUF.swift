/// Loading from GGUF metadata (`tokenizer.ggml.*`, ggml/docs/gguf.md; behaviour as llama.cpp's
/// `llama-vocab.cpp` and the HF tokenizers the files were converted from).
extension Tokenizer {
    /// Builds the tokenizer a GGUF file describes.
    /// - `model` "gpt2": byte-level BPE; `pre` picks the pre-tokenizer: "gpt-2"/"gpt2" (or absent),
    ///   "llama-bpe"/"llama3" (Llama 3, with `ignore_merges`), "qwen2" (Qwen2/2.5/3: Llama 3's
    ///   regex with single digits), "smollm"/"starcoder" (digits split).
    /// - `model` "llama": SentencePiece BPE from `scores`, byte fallback, dummy prefix unless
    ///   `addSpacePrefix` is false.
    /// `addBOS` defaults to true for "llama" and false for "gpt2" when the file says nothing.
    /// - Throws: `TokenizerError` (unsupported model or pre-tokenizer, missing merges/scores,
    ///   mismatched array lengths, merges naming unknown tokens, special ids out of range).
    public convenience init(gguf v: GGUFVocabulary) throws {
        let kind: TokenizerSpec.Kind
        switch v.model {
        case "gpt2":
            kind = .byteLevel(try Self.ggufPreTokenizer(v.pre), ignoreMerges: v.pre == "llama-bpe" || v.pre == "llama3")
            guard v.merges != nil else { throw TokenizerError.missingField("tokenizer.ggml.merges") }
        case "llama":
            kind = .sentencePiece(v.addSpacePrefix == false ? .never : .always)
            guard v.scores != nil else { throw TokenizerError.missingField("tokenizer.ggml.scores") }
        default:
            throw TokenizerError.unsupportedModel(v.model)
        }
        let n = v.tokens.count
        if let s = v.scores, s.count != n {
            throw TokenizerError.invalidField("tokenizer.ggml.scores", reason: "\(s.count) scores for \(n) tokens")
        }
        let types: [TokenizerSpec.TokenType]
        if let raw = v.tokenTypes {
            guard raw.count == n else {
                throw TokenizerError.invalidField("tokenizer.ggml.token_type", reason: "\(raw.count) types for \(n) tokens")
            }
            types = raw.map { TokenizerSpec.TokenType(rawValue: $0) ?? .normal }
        } else {
            types = Array(repeating: .normal, count: n)
        }
        let merges = try v.merges.map { list in
            try list.map { entry -> (String, String) in
                guard let pair = entry.splitMergeEntry() else {
                    throw TokenizerError.invalidField("tokenizer.ggml.merges", reason: "entry '\(entry)' has no space")
                }
                return pair
            }
        }
        try self.init(spec: TokenizerSpec(
            kind: kind, pieces: v.tokens, types: types, merges: merges,
            scores: v.model == "llama" ? v.scores : nil, bosID: v.bosID, eosID: v.eosID,
            unknownID: v.unknownID, eotID: v.eotID, addsBOS: v.addBOS ?? (v.model == "llama"),
            chatTemplate: v.chatTemplate))
    }

    private static func ggufPreTokenizer(_ pre: String?) throws -> PreTokenizer {
        switch pre {
        case nil, "gpt-2", "gpt2": return .gpt2
        case "llama-bpe", "llama3": return .llama3
        case "qwen2": return .qwen2
        case "smollm", "starcoder": return .digitsThenGPT2
        case let other?: throw TokenizerError.unsupportedPreTokenizer("'\(other)' (tokenizer.ggml.pre)")
        }
    }
}
