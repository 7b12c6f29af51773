/// Consistency checks shared by the GGUF and Hugging Face readers, applied to a config before
/// any tensor is looked at, so that later shape arithmetic cannot overflow.
enum LlamaConfigCheck {
    /// Accepted range for every size and count in a config (products of two stay in `Int`).
    static let plausibleSizes = 1...(1 << 31)

    /// Throws a `ModelLoadError` for `file` unless every size is plausible, the query heads are
    /// a multiple of the KV heads and the head size is even (RoPE rotates pairs).
    /// Also throws when the architecture declares something the runtime does not implement.
    static func validate(_ c: LlamaConfig, file: String) throws(ModelLoadError) {
        let missing = c.architecture.unimplemented
        guard missing.isEmpty else {
            throw ModelLoadError(file: file, "architecture '\(c.architecture.name)' needs \(missing.joined(separator: ", ")), which skipchat does not implement")
        }
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
        guard c.rmsNormEps.isFinite, c.rmsNormEps > 0, c.ropeTheta.isFinite, c.ropeTheta > 0 else {
            throw ModelLoadError(file: file, "rms_norm_eps \(c.rmsNormEps) and rope theta \(c.ropeTheta) must be positive")
        }
    }
}
