/// Reading a `LlamaConfig` from the `<arch>.*` metadata keys of a GGUF file (llama.cpp
/// `LLM_KV_*` names; ggml/docs/gguf.md "LLM" section).
extension GGUFFile {
    /// `general.architecture`, and the family that declares it (`Architecture.all`).
    func llamaArchitecture() throws(ModelLoadError) -> (name: String, family: Architecture) {
        guard let arch = metadata["general.architecture"]?.string else {
            throw fail("general.architecture is missing")
        }
        guard let family = Architecture.gguf(arch) else {
            let known = Architecture.all.flatMap(\.ggufNames).sorted().joined(separator: ", ")
            throw fail("architecture '\(arch.shownInMessage)' is not supported (supported: \(known))")
        }
        return (arch, family)
    }

    /// The model's shape and RoPE settings. RoPE pairs dimensions as the family declares for
    /// GGUF files (`Architecture.ggufRoPEStyle`). Llama 3.1-style scaling comes only from
    /// `rope_freqs.weight` (the converter writes no scaling keys for it); other scaling types
    /// are refused. `vocabSize` comes from
    /// `<arch>.vocab_size`, else the tokenizer's token count, else the token embedding's rows.
    /// Tied embeddings are decided later, from the tensors.
    func llamaConfig(architecture arch: String, family: Architecture) throws(ModelLoadError) -> LlamaConfig {
        let layers = try size("\(arch).block_count")
        let hidden = try size("\(arch).embedding_length")
        let ffn = try size("\(arch).feed_forward_length")
        let heads = try size("\(arch).attention.head_count")
        let kvHeads = try size("\(arch).attention.head_count_kv", default: heads)
        guard hidden % heads == 0 || metadata["\(arch).attention.key_length"] != nil else {
            throw fail("\(arch).embedding_length \(hidden) is not a multiple of the head count \(heads)")
        }
        let headDim = try size("\(arch).attention.key_length", default: hidden / heads)
        guard try size("\(arch).attention.value_length", default: headDim) == headDim else {
            throw fail("\(arch).attention.value_length differs from the key length, which skipchat does not support")
        }
        guard try size("\(arch).rope.dimension_count", default: headDim) == headDim else {
            throw fail("\(arch).rope.dimension_count differs from the head size \(headDim) (partial RoPE), which skipchat does not support")
        }
        if let scaling = metadata["\(arch).rope.scaling.type"]?.string, scaling != "none" {
            throw fail("RoPE scaling '\(scaling)' is not supported in GGUF files")
        }
        let tokenCount = metadata["tokenizer.ggml.tokens"]?.array?.count
        let embeddingRows = tensors.first { $0.name == "token_embd.weight" }?.shape.first
        let vocab = try size("\(arch).vocab_size", default: tokenCount ?? embeddingRows ?? 0)
        return LlamaConfig(
            layerCount: layers, hiddenSize: hidden, ffnSize: ffn, headCount: heads, kvHeadCount: kvHeads,
            headDim: headDim, vocabSize: vocab,
            contextLength: try size("\(arch).context_length", default: 2048),
            rmsNormEps: try positive("\(arch).attention.layer_norm_rms_epsilon", default: 1e-5),
            ropeTheta: try positive("\(arch).rope.freq_base", default: 10_000),
            ropeScaling: nil, ropeFrequencyFactors: try ropeFrequencyFactors(headDim: headDim),
            ropeStyle: family.ggufRoPEStyle, tiedEmbeddings: false, architecture: family)
    }

    /// An error about this file.
    func fail(_ message: String) -> ModelLoadError { ModelLoadError(file: file.path, message) }

    /// A positive integer key, or `default` when the key is absent (a nil default means required).
    private func size(_ key: String, default fallback: Int? = nil) throws(ModelLoadError) -> Int {
        guard let value = metadata[key] else {
            guard let fallback else { throw fail("metadata key \(key) is missing") }
            return fallback
        }
        guard let n = value.int, LlamaConfigCheck.plausibleSizes.contains(n) else {
            throw fail("\(key) is \(value.summary), expected an integer in \(LlamaConfigCheck.plausibleSizes)")
        }
        return n
    }

    /// A positive finite number key, or `default` when the key is absent.
    private func positive(_ key: String, default fallback: Float) throws(ModelLoadError) -> Float {
        guard let value = metadata[key] else { return fallback }
        guard let x = value.float, x.isFinite, x > 0 else { throw fail("\(key) is \(value.summary), expected a positive number") }
        return x
    }
}
