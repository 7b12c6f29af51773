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
    /// `rope_freqs.weight` (the converter writes no scaling keys for it), linear scaling from
    /// `rope.scaling.factor` where the family allows it; other scaling types are refused. `vocabSize` comes from
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
        var linearFactor: Float?
        if let scaling = metadata["\(arch).rope.scaling.type"]?.string, scaling != "none" {
            guard scaling == "linear", family.ropeScalingTypes.contains("linear") else {
                throw fail("RoPE scaling '\(scaling.shownInMessage)' is not supported in \(arch) GGUF files")
            }
            linearFactor = try positive("\(arch).rope.scaling.factor", default: 1)
        }
        if let cap = metadata["\(arch).attn_logit_softcapping"]?.float, cap > 0 {
            throw fail("\(arch).attn_logit_softcapping \(cap) (soft-capped attention scores) is not supported")
        }
        let tokenCount = metadata["tokenizer.ggml.tokens"]?.array?.count
        let embeddingRows = tensors.first { $0.name == "token_embd.weight" }?.shape.first
        let vocab = try size("\(arch).vocab_size", default: tokenCount ?? embeddingRows ?? 0)
        var config = LlamaConfig(
            layerCount: layers, hiddenSize: hidden, ffnSize: ffn, headCount: heads, kvHeadCount: kvHeads,
            headDim: headDim, vocabSize: vocab,
            contextLength: try size("\(arch).context_length", default: 2048),
            rmsNormEps: try positive("\(arch).attention.layer_norm_rms_epsilon", default: 1e-5),
            ropeTheta: try positive("\(arch).rope.freq_base", default: 10_000),
            ropeScaling: nil, ropeFrequencyFactors: try ropeFrequencyFactors(headDim: headDim),
            ropeStyle: family.ggufRoPEStyle, tiedEmbeddings: false, architecture: family)
        if let linearFactor { config.ropeFrequencyFactors = Array(repeating: linearFactor, count: headDim / 2) }
        try applyFamilySettings(to: &config, architecture: arch)
        return config
    }

    /// What llama.cpp's graph of each family reads besides the shapes: the sliding window of
    /// Gemma 3 (every sixth layer global unless `attention.sliding_window_pattern` says otherwise,
    /// sliding layers at `rope.freq_base_swa`) and Phi-3, the final soft-cap, Gemma 3's query
    /// scale (1/sqrt(head size), or 1/sqrt(hidden / heads) for the 62-layer 27B, as
    /// `llama_model_gemma3::load_arch_hparams`), and Phi-3's LongRoPE short factors with their
    /// attention factor (the context kept to the original length, as in `HFConfig`).
    private func applyFamilySettings(to config: inout LlamaConfig, architecture arch: String) throws(ModelLoadError) {
        let family = config.architecture
        if family == .gemma3 || family == .phi3 {
            let window = try size("\(arch).attention.sliding_window", default: 0, allowZero: true)
            if family == .gemma3, let period = metadata["\(arch).attention.sliding_window_pattern"]?.int {
                config.setSlidingWindow(window, layers: .allButEvery(period))
            } else {
                config.setSlidingWindow(window, layers: family.slidingLayers)
            }
            if metadata["\(arch).rope.freq_base_swa"] != nil {
                config.slidingRoPETheta = try positive("\(arch).rope.freq_base_swa", default: config.ropeTheta)
            }
        }
        if metadata["\(arch).final_logit_softcapping"] != nil {
            config.finalLogitSoftcap = try positive("\(arch).final_logit_softcapping", default: 1)
        }
        if family == .gemma3 {
            let width = config.layerCount == 62 ? config.hiddenSize / config.headCount : config.headDim
            config.attentionScale = 1 / Float(width).squareRoot()
        }
        if family == .phi3, let short = try ropeFrequencyFactors(headDim: config.headDim, name: Self.shortRoPEFactorsTensorName) {
            let factor = try positive("\(arch).rope.scaling.attn_factor", default: 1)
            config.ropeFrequencyFactors = short
            config.attentionScale *= factor * factor
            config.contextLength = min(config.contextLength,
                                       try size("\(arch).rope.scaling.original_context_length", default: config.contextLength))
        }
    }

    /// An error about this file.
    func fail(_ message: String) -> ModelLoadError { ModelLoadError(file: file.path, message) }

    /// A positive integer key (or zero with `allowZero`), or `default` when the key is absent
    /// (a nil default means required).
    private func size(_ key: String, default fallback: Int? = nil, allowZero: Bool = false) throws(ModelLoadError) -> Int {
        guard let value = metadata[key] else {
            guard let fallback else { throw fail("metadata key \(key) is missing") }
            return fallback
        }
        if allowZero, value.int == 0 { return 0 }
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
