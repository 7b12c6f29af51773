import Foundation

/// Decoding `config.json` and turning it into a `LlamaConfig`.
extension HFConfig {
    /// Decodes `url`, throwing one line that names the file and the field at fault.
    package static func read(_ url: URL) throws(ModelLoadError) -> HFConfig {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelLoadError(file: url.path, "cannot read: \(error.localizedDescription)")
        }
        do {
            return try JSONDecoder().decode(HFConfig.self, from: data)
        } catch {
            throw ModelLoadError(file: url.path, DecodingProblem.describe(error, in: data))
        }
    }

    /// The config for the forward pass (rotate-half RoPE), of the family that declares
    /// `model_type` ("llama" when absent), with its window, RoPE scaling, query scale and soft-cap. `tiedEmbeddings` is the file's `tie_word_embeddings`
    /// (default false); the weights builder may still tie a missing head.
    package func llamaConfig(file: String) throws(ModelLoadError) -> LlamaConfig {
        guard let family = Architecture.huggingFace(modelType ?? "llama") else {
            let known = Architecture.all.flatMap(\.huggingFaceModelTypes).sorted().joined(separator: ", ")
            throw ModelLoadError(file: file, "model_type '\((modelType ?? "").shownInMessage)' is not supported (supported: \(known))")
        }
        guard numAttentionHeads > 0, hiddenSize % numAttentionHeads == 0 || headDim != nil else {
            throw ModelLoadError(file: file, "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
        var context = maxPositionEmbeddings ?? 2048
        let headSize = headDim ?? hiddenSize / numAttentionHeads
        if let partial = partialRotaryFactor, partial != 1 {
            throw ModelLoadError(file: file, "partial_rotary_factor \(partial) (RoPE on part of each head) is not supported")
        }
        if let cap = attnLogitSoftcapping {
            throw ModelLoadError(file: file, "attn_logit_softcapping \(cap) (soft-capped attention scores) is not supported")
        }
        var config = LlamaConfig(
            layerCount: numHiddenLayers, hiddenSize: hiddenSize, ffnSize: intermediateSize,
            headCount: numAttentionHeads, kvHeadCount: numKeyValueHeads ?? numAttentionHeads,
            headDim: headSize, vocabSize: vocabSize, contextLength: context,
            rmsNormEps: Float(rmsNormEps ?? 1e-6), ropeTheta: Float(ropeTheta ?? ropeParameters?.ropeTheta ?? 10_000),
            ropeScaling: nil, ropeStyle: .rotateHalf,
            tiedEmbeddings: tieWordEmbeddings ?? false, architecture: family)
        try applyRoPEScaling(to: &config, file: file)
        context = config.contextLength
        if let scalar = queryPreAttnScalar {
            guard scalar > 0 else { throw ModelLoadError(file: file, "query_pre_attn_scalar \(scalar) must be positive") }
            config.attentionScale *= Float(headSize).squareRoot() / Float(scalar).squareRoot()
        }
        if let cap = finalLogitSoftcapping {
            guard cap > 0 else { throw ModelLoadError(file: file, "final_logit_softcapping \(cap) must be positive") }
            config.finalLogitSoftcap = Float(cap)
        }
        try applySlidingWindow(to: &config, family: family, file: file)
        config.slidingRoPETheta = ropeLocalBaseFreq.map(Float.init)
        try LlamaConfigCheck.validate(config, file: file)
        return config
    }

    /// The window and the layers it covers: every layer for Mistral and Phi-3, and for Qwen2/3
    /// only with `use_sliding_window`; Gemma 3's `layer_types` (else `sliding_window_pattern`,
    /// else the family's period of 6).
    private func applySlidingWindow(to config: inout LlamaConfig, family: Architecture, file: String) throws(ModelLoadError) {
        guard let window = slidingWindow, window > 0 else { return }
        if family == .qwen2 || family == .qwen3, useSlidingWindow != true { return }
        if let types = layerTypes {
            guard types.count == numHiddenLayers, types.allSatisfy({ $0 == "sliding_attention" || $0 == "full_attention" }) else {
                throw ModelLoadError(file: file, "layer_types must list \(numHiddenLayers) entries of sliding_attention or full_attention")
            }
            config.slidingWindow = window
            config.slidingLayers = types.map { $0 == "sliding_attention" }
        } else if let pattern = slidingWindowPattern {
            config.setSlidingWindow(window, layers: .allButEvery(pattern))
        } else {
            config.setSlidingWindow(window, layers: family.slidingLayers)
        }
    }

    /// RoPE scaling from `rope_scaling` (or `rope_parameters`): Llama 3 scaling, linear scaling
    /// (every inverse frequency divided by `factor`), or LongRoPE's short factors (Phi-3; the
    /// context is kept to `original_max_position_embeddings`, and the attention factor
    /// sqrt(1 + ln(max / original) / ln(original)) scales the scores by its square, as
    /// transformers `_compute_longrope_parameters` scales cos and sin). Types the family does not
    /// declare (`Architecture.ropeScalingTypes`) are refused.
    private func applyRoPEScaling(to config: inout LlamaConfig, file: String) throws(ModelLoadError) {
        guard let p = ropeScaling ?? ropeParameters else { return }
        let family = config.architecture
        let type = p.ropeType ?? p.type
        if let type, type != "default", !family.ropeScalingTypes.contains(type) {
            let known = family.ropeScalingTypes.sorted().joined(separator: ", ")
            throw ModelLoadError(file: file, "rope_scaling type '\(type.shownInMessage)' is not supported (supported: \(known.isEmpty ? "none for \(family.name)" : known))")
        }
        switch type {
        case nil, "default": return
        case "llama3":
            guard let factor = p.factor, let low = p.lowFreqFactor, let high = p.highFreqFactor,
                  let original = p.originalMaxPositionEmbeddings else {
                throw ModelLoadError(file: file, "rope_scaling of type llama3 needs factor, low_freq_factor, high_freq_factor and original_max_position_embeddings")
            }
            guard factor > 0, low > 0, high > low, original > 0 else {
                throw ModelLoadError(file: file, "rope_scaling llama3 values are inconsistent (factor \(factor), low \(low), high \(high), original \(original))")
            }
            config.ropeScaling = Llama3RoPEScaling(factor: Float(factor), lowFreqFactor: Float(low), highFreqFactor: Float(high),
                                                   originalMaxPositions: original)
        case "linear":
            guard let factor = p.factor, factor > 0 else { throw ModelLoadError(file: file, "rope_scaling of type linear needs a positive factor") }
            config.ropeFrequencyFactors = Array(repeating: Float(factor), count: config.headDim / 2)
        default:   // "longrope", "su"
            guard let short = p.shortFactor, short.count == config.headDim / 2, short.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw ModelLoadError(file: file, "rope_scaling of type longrope needs short_factor with \(config.headDim / 2) positive values")
            }
            let original = originalMaxPositionEmbeddings ?? p.originalMaxPositionEmbeddings ?? config.contextLength
            guard original > 0 else { throw ModelLoadError(file: file, "original_max_position_embeddings must be positive") }
            let scale = Double(config.contextLength) / Double(original)
            let attentionFactor = scale > 1 ? (1 + log(scale) / log(Double(original))).squareRoot() : 1
            config.ropeFrequencyFactors = short.map(Float.init)
            config.attentionScale *= Float(attentionFactor * attentionFactor)
            config.contextLength = min(config.contextLength, original)
        }
    }
}
