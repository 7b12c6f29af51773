import CKernels

/// A decoder-only model ready to run: config, weights (views into the memory-mapped file),
/// RoPE frequencies and the worker pool. Immutable; the per-generation state (KV cache, buffers)
/// lives in `ForwardPass`. Only one `ForwardPass` may run on a model's pool at a time.
public final class LlamaModel: @unchecked Sendable {
    public let config: LlamaConfig
    public let weights: LlamaWeights
    public let pool: ThreadPool
    /// headDim/2 inverse frequencies (see `ropeInverseFrequencies`).
    package let inverseFrequencies: [Float]
    /// Those of the sliding-window layers: from `slidingRoPETheta` without scaling when the
    /// config has one, else `inverseFrequencies`.
    package let slidingInverseFrequencies: [Float]

    public init(config: LlamaConfig, weights: LlamaWeights, threads: Int) {
        self.config = config
        self.weights = weights
        self.pool = ThreadPool(threads: threads)
        inverseFrequencies = ropeInverseFrequencies(headDim: config.headDim, theta: config.ropeTheta,
                                                    scaling: config.ropeScaling, factors: config.ropeFrequencyFactors)
        slidingInverseFrequencies = config.slidingRoPETheta.map {
            ropeInverseFrequencies(headDim: config.headDim, theta: $0, scaling: nil, factors: nil)
        } ?? inverseFrequencies
    }

    /// Bytes of weights read to run one position through layers [0, L) and the LM head
    /// (the decode roofline's numerator).
    public var weightBytesPerToken: Int {
        let layerBytes = weights.layers.reduce(0) { sum, w in
            sum + (w.matrices + w.vectors).reduce(0) { $0 + $1.byteCount }
        }
        return layerBytes + weights.lmHead.byteCount + weights.finalNorm.byteCount
    }

    /// Bytes of weights read per position by one layer (all layers have the same shapes).
    public var weightBytesPerLayer: Int {
        guard let w = weights.layers.first else { return 0 }
        return w.matrices.reduce(0) { $0 + $1.byteCount }
    }
}
