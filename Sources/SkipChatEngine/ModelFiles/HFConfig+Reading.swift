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
    /// `model_type` ("llama" when absent). `tiedEmbeddings` is the file's `tie_word_embeddings`
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
        if let slidingWindow, slidingWindow > 0 { context = min(context, slidingWindow) }
        let config = LlamaConfig(
            layerCount: numHiddenLayers, hiddenSize: hiddenSize, ffnSize: intermediateSize,
            headCount: numAttentionHeads, kvHeadCount: numKeyValueHeads ?? numAttentionHeads,
            headDim: headDim ?? hiddenSize / numAttentionHeads, vocabSize: vocabSize, contextLength: context,
            rmsNormEps: Float(rmsNormEps ?? 1e-6), ropeTheta: Float(ropeTheta ?? ropeParameters?.ropeTheta ?? 10_000),
            ropeScaling: try ropeScalingConfig(file: file, family: family), ropeStyle: .rotateHalf,
            tiedEmbeddings: tieWordEmbeddings ?? false, architecture: family)
        try LlamaConfigCheck.validate(config, file: file)
        return config
    }

    /// Llama 3 scaling from `rope_scaling` (or `rope_parameters`); nil for none or "default".
    /// Types the family does not declare (`Architecture.ropeScalingTypes`) are refused.
    private func ropeScalingConfig(file: String, family: Architecture) throws(ModelLoadError) -> Llama3RoPEScaling? {
        guard let p = ropeScaling ?? ropeParameters else { return nil }
        let type = p.ropeType ?? p.type
        if let type, type != "default", !family.ropeScalingTypes.contains(type) {
            let known = family.ropeScalingTypes.sorted().joined(separator: ", ")
            throw ModelLoadError(file: file, "rope_scaling type '\(type.shownInMessage)' is not supported (supported: \(known))")
        }
        switch type {
        case nil, "default": return nil
        case "llama3":
            guard let factor = p.factor, let low = p.lowFreqFactor, let high = p.highFreqFactor,
                  let original = p.originalMaxPositionEmbeddings else {
                throw ModelLoadError(file: file, "rope_scaling of type llama3 needs factor, low_freq_factor, high_freq_factor and original_max_position_embeddings")
            }
            guard factor > 0, low > 0, high > low, original > 0 else {
                throw ModelLoadError(file: file, "rope_scaling llama3 values are inconsistent (factor \(factor), low \(low), high \(high), original \(original))")
            }
            return Llama3RoPEScaling(factor: Float(factor), lowFreqFactor: Float(low), highFreqFactor: Float(high),
                                     originalMaxPositions: original)
        case let other?:
            throw ModelLoadError(file: file, "rope_scaling type '\(other.shownInMessage)' is not supported (supported: llama3)")
        }
    }
}
