/// How RoPE pairs the dimensions of a head (see `sc_rope`).
public enum RoPEStyle: Int32, Sendable {
    /// (x[2i], x[2i+1]): GGUF "llama" files, whose converter permuted the Q/K rows.
    case adjacentPairs = 0
    /// (x[i], x[i + d/2]): Hugging Face checkpoints.
    case rotateHalf = 1
}

/// Llama 3.1 frequency-dependent RoPE scaling (`rope_scaling.rope_type == "llama3"` in HF
/// config.json; transformers `_compute_llama3_parameters`).
public struct Llama3RoPEScaling: Sendable, Equatable {
    public var factor: Float
    public var lowFreqFactor: Float
    public var highFreqFactor: Float
    public var originalMaxPositions: Int

    public init(factor: Float, lowFreqFactor: Float, highFreqFactor: Float, originalMaxPositions: Int) {
        self.factor = factor
        self.lowFreqFactor = lowFreqFactor
        self.highFreqFactor = highFreqFactor
        self.originalMaxPositions = originalMaxPositions
    }
}

/// Sizes and settings of a decoder-only transformer; what its blocks are made of is its
/// `architecture`'s declaration.
public struct LlamaConfig: Sendable, Equatable {
    /// The model family's declaration (norm, activation, biases, RoPE style, …).
    public var architecture: Architecture
    /// Number of transformer layers L.
    public var layerCount: Int
    /// Width of the residual stream (d_model).
    public var hiddenSize: Int
    /// Inner width of the SwiGLU MLP.
    public var ffnSize: Int
    /// Query heads.
    public var headCount: Int
    /// Key/value heads (GQA: headCount is a multiple of kvHeadCount).
    public var kvHeadCount: Int
    /// Width of one attention head.
    public var headDim: Int
    public var vocabSize: Int
    /// Longest context the model was trained for, in tokens.
    public var contextLength: Int
    public var rmsNormEps: Float
    public var ropeTheta: Float
    public var ropeScaling: Llama3RoPEScaling?
    /// Per-frequency RoPE divisors, headDim/2 positive values: pair i rotates by
    /// pos · θ^(−2i/d) / factors[i] (ggml `ggml_rope_ext` freq_factors). GGUF files of Llama 3.1/3.2
    /// carry them as `rope_freqs.weight`, which llama.cpp's converter computes from the llama3
    /// `rope_scaling` (conversion/llama.py `generate_extra_tensors`). When set they replace
    /// `ropeScaling` instead of compounding with it.
    public var ropeFrequencyFactors: [Float]?
    public var ropeStyle: RoPEStyle
    /// True when the LM head reuses the token embedding matrix.
    public var tiedEmbeddings: Bool
    /// Attention scores are scale · q·k: 1/sqrt(headDim), or 1/sqrt(query_pre_attn_scalar)
    /// (Gemma), times LongRoPE's attention factor squared (Phi-3; RoPE is linear, so scaling
    /// cos and sin by m scales every score by m²).
    public var attentionScale: Float
    /// Sliding attention window in positions: a query at position p attends to keys at positions
    /// > p − slidingWindow (transformers `sliding_window_overlay`; llama.cpp
    /// `LLAMA_SWA_TYPE_STANDARD`). 0 = none.
    public var slidingWindow: Int
    /// Per layer, whether it uses `slidingWindow` ([layerCount]; all false without a window).
    public var slidingLayers: [Bool]
    /// RoPE base of the sliding layers when it differs from `ropeTheta` (Gemma 3's
    /// `rope_local_base_freq`); the sliding layers get no scaling or frequency factors.
    public var slidingRoPETheta: Float?
    /// tanh soft-cap of the head's logits, cap · tanh(logit / cap) (Gemma 2/3), or nil.
    public var finalLogitSoftcap: Float?

    public init(layerCount: Int, hiddenSize: Int, ffnSize: Int, headCount: Int, kvHeadCount: Int,
                headDim: Int, vocabSize: Int, contextLength: Int, rmsNormEps: Float,
                ropeTheta: Float, ropeScaling: Llama3RoPEScaling?, ropeFrequencyFactors: [Float]? = nil,
                ropeStyle: RoPEStyle, tiedEmbeddings: Bool, architecture: Architecture = .llama) {
        self.architecture = architecture
        self.layerCount = layerCount
        self.hiddenSize = hiddenSize
        self.ffnSize = ffnSize
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDim = headDim
        self.vocabSize = vocabSize
        self.contextLength = contextLength
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.ropeFrequencyFactors = ropeFrequencyFactors
        self.ropeStyle = ropeStyle
        self.tiedEmbeddings = tiedEmbeddings
        attentionScale = 1 / Float(headDim).squareRoot()
        slidingWindow = 0
        slidingLayers = Array(repeating: false, count: max(0, min(layerCount, 1 << 16)))
        slidingRoPETheta = nil
        finalLogitSoftcap = nil
    }

    /// Sets a sliding window of `size` positions (0 = none) on the layers `pattern` selects.
    mutating func setSlidingWindow(_ size: Int, layers pattern: Architecture.SlidingLayers) {
        slidingWindow = size
        slidingLayers = (0..<slidingLayers.count).map { l in
            guard size > 0 else { return false }
            switch pattern {
            case .all: return true
            case let .allButEvery(period): return period <= 0 || l % period != period - 1
            }
        }
    }
}

extension LlamaConfig {
    /// Sizes of each of the model's layers.
    public var blockShape: BlockShape {
        BlockShape(hidden: hiddenSize, headCount: headCount, kvHeadCount: kvHeadCount, headDim: headDim, ffnSize: ffnSize)
    }
}
