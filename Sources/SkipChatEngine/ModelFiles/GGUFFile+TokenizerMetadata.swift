import SkipChatTokenizer

/// Reading the tokenizer stored in `tokenizer.ggml.*` metadata keys (ggml/docs/gguf.md,
/// "Tokenizer" section).
extension GGUFFile {
    /// The file's vocabulary, or nil when it has no `tokenizer.ggml.model` key. Throws when the
    /// keys are present but malformed (wrong value types, per-token arrays of the wrong length,
    /// special token ids outside the vocabulary).
    func vocabulary() throws(ModelLoadError) -> GGUFVocabulary? {
        guard let modelValue = metadata["tokenizer.ggml.model"] else { return nil }
        guard let model = modelValue.string else { throw fail("tokenizer.ggml.model is not a string") }
        let tokens = try strings("tokenizer.ggml.tokens") ?? []
        guard !tokens.isEmpty else { throw fail("tokenizer.ggml.tokens is missing or empty") }
        let scores = try perToken("tokenizer.ggml.scores", count: tokens.count) { $0.float }
        let types = try perToken("tokenizer.ggml.token_type", count: tokens.count) { $0.int.flatMap { Int32(exactly: $0) } }
        return GGUFVocabulary(
            model: model, pre: metadata["tokenizer.ggml.pre"]?.string, tokens: tokens,
            scores: scores, tokenTypes: types, merges: try strings("tokenizer.ggml.merges"),
            bosID: try tokenID("tokenizer.ggml.bos_token_id", count: tokens.count),
            eosID: try tokenID("tokenizer.ggml.eos_token_id", count: tokens.count),
            unknownID: try tokenID("tokenizer.ggml.unknown_token_id", count: tokens.count, strict: false),
            paddingID: try tokenID("tokenizer.ggml.padding_token_id", count: tokens.count, strict: false),
            eotID: try tokenID("tokenizer.ggml.eot_token_id", count: tokens.count, strict: false),
            addBOS: metadata["tokenizer.ggml.add_bos_token"]?.bool,
            addEOS: metadata["tokenizer.ggml.add_eos_token"]?.bool,
            addSpacePrefix: metadata["tokenizer.ggml.add_space_prefix"]?.bool)
    }

    /// `tokenizer.chat_template`, when present and a string.
    var chatTemplate: String? { metadata["tokenizer.chat_template"]?.string }

    /// An array-of-strings key, or nil when absent.
    private func strings(_ key: String) throws(ModelLoadError) -> [String]? {
        try perToken(key, count: nil) { $0.string }
    }

    /// An array key whose elements all convert with `convert`, of length `count` when given.
    private func perToken<T>(_ key: String, count: Int?, _ convert: (GGUFValue) -> T?) throws(ModelLoadError) -> [T]? {
        guard let value = metadata[key] else { return nil }
        guard let array = value.array else { throw fail("\(key) is not an array") }
        if let count, array.count != count {
            throw fail("\(key) has \(array.count) entries but there are \(count) tokens")
        }
        var out: [T] = []
        out.reserveCapacity(array.count)
        for (i, element) in array.enumerated() {
            guard let x = convert(element) else { throw fail("\(key) entry \(i) has the wrong type") }
            out.append(x)
        }
        return out
    }

    /// A token id key inside the vocabulary. An id outside it is an error when `strict`
    /// (BOS/EOS, which generation relies on) and is dropped otherwise (some converters write
    /// placeholder padding or unknown ids).
    private func tokenID(_ key: String, count: Int, strict: Bool = true) throws(ModelLoadError) -> Int32? {
        guard let value = metadata[key] else { return nil }
        guard let id = value.int, (0..<count).contains(id) else {
            if strict { throw fail("\(key) is \(value.summary), not a token id below \(count)") }
            return nil
        }
        return Int32(id)
    }
}
