/// Consistency checks shared by the GGUF and Hugging Face readers, applied to a config before
/// any tensor is looked at, so that later shape arithmetic cannot overflow.
enum LlamaConfigCheck {
    /// Accepted range for every size and count in a config (products of two stay in `Int`).
    static let plausibleSizes = 1...(1 << 31)

    /// Throws a `ModelLoadError` for `file` unless every size is plausible, the query heads are
    /// a multiple of the KV heads and the head size is even (RoPE rotates pairs).
    static func validate(_ c: LlamaConfig, file: String) throws(ModelLoadError) {
        let sizes = [("layers", c.layerCount), ("hidden size", c.hiddenSize), ("FFN size", c.ffnSize),
                     ("attention heads", c.headCount), ("KV heads", c.kvHeadCount), ("head size", c.headDim),
                     ("vocabulary size", c.vocabSize), ("context length", c.contextLength)]
        for (what, n) in sizes where !plausibleSizes.contains(n) {
            throw ModelLoadError(file: file, "\(what) \(n) is out of range \(plausibleSizes)")
        }
        guard c.headCount % c.kvHeadCount == 0 else {
            throw ModelLoadError(file: file, "\(c.headCount) attention heads is not a multiple of \(c.kvHeadCount) KV heads")
        }
        guard c.headDim % 2 == 0 else {
            throw ModelLoadError(file: file, "head size \(c.headDim) is odd; RoPE needs an even head size")
        }
        guard c.slidingWindow >= 0, c.slidingLayers.count == c.layerCount else {
            throw ModelLoadError(file: file, "sliding window \(c.slidingWindow) must not be negative and cover \(c.layerCount) layers")
        }
        guard c.attentionScale.isFinite, c.attentionScale > 0, (c.slidingRoPETheta ?? 1) > 0, (c.finalLogitSoftcap ?? 1) > 0 else {
            throw ModelLoadError(file: file, "attention scale, sliding-layer RoPE base and logit soft-cap must be positive")
        }
        guard c.rmsNormEps.isFinite, c.rmsNormEps > 0, c.ropeTheta.isFinite, c.ropeTheta > 0 else {
            throw ModelLoadError(file: file, "rms_norm_eps \(c.rmsNormEps) and rope theta \(c.ropeTheta) must be positive")
        }
    }
}
