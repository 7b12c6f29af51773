/// A random-weight model of a real model's shape and file type, for benchmarks of models the
/// user has not downloaded (`skipchat bench … --synthetic NAME`, `bench synthetic-gguf`).
public enum SyntheticShape: String, CaseIterable, Sendable {
    case llama32OneB = "llama3.2-1b"
    case llama32OneBQ8_0 = "llama3.2-1b-q8_0"
    case llama32OneBQ4_K_M = "llama3.2-1b-q4_k_m"
    case llama3EightBQ8_0 = "llama3-8b-q8_0"
    case llama3EightBQ4_K_M = "llama3-8b-q4_k_m"
    case llama2SevenBQ4_K_M = "llama2-7b-q4_k_m"
    /// The BF16 1B shape (`llama3.2-1b`) with another family's block: what that family's
    /// features cost, next to the same matrices in a Llama block.
    case qwen2OneB = "qwen2-1b"
    case qwen3OneB = "qwen3-1b"
    case gemma3OneB = "gemma3-1b"
    case phi3OneB = "phi3-1b"

    /// "llama3.2-1b, llama3.2-1b-q8_0, …": every name, for messages.
    public static var nameList: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The model whose shape this is.
    public var architecture: SyntheticArchitecture {
        switch self {
        case .llama32OneB, .llama32OneBQ8_0, .llama32OneBQ4_K_M, .qwen2OneB, .qwen3OneB, .gemma3OneB, .phi3OneB:
            .layerSkipLlama32OneB
        case .llama3EightBQ8_0, .llama3EightBQ4_K_M: .llama3EightB
        case .llama2SevenBQ4_K_M: .llama2SevenB
        }
    }

    /// How the weights are stored.
    public var recipe: SyntheticRecipe {
        switch self {
        case .llama32OneB, .qwen2OneB, .qwen3OneB, .gemma3OneB, .phi3OneB: .bf16
        case .llama32OneBQ8_0, .llama3EightBQ8_0: .q8_0
        case .llama32OneBQ4_K_M, .llama3EightBQ4_K_M, .llama2SevenBQ4_K_M: .q4_K_M
        }
    }

    /// The family of the block: Llama, or that of a `<family>-1b` shape.
    public var family: Architecture {
        switch self {
        case .qwen2OneB: .qwen2
        case .qwen3OneB: .qwen3
        case .gemma3OneB: .gemma3
        case .phi3OneB: .phi3
        default: .llama
        }
    }

    /// "random-weight layerskip-llama3.2-1B shape, Q4_K_M"; "…, qwen2 block, BF16" for another family.
    public var label: String {
        let block = family == .llama ? "" : ", \(family.name) block"
        return "random-weight \(architecture.modelName) shape\(block), \(recipe.name)"
    }

    /// The shape's config with the family's block: rotate-half RoPE for the families llama.cpp
    /// does not permute; Gemma 3's 512-position window on five layers in six with RoPE base
    /// 10000 on them (google/gemma-3-1b-it's config).
    var config: LlamaConfig {
        var c = architecture.config
        guard family != .llama else { return c }
        c.architecture = family
        c.ropeStyle = family.ggufRoPEStyle
        if family == .gemma3 {
            c.setSlidingWindow(512, layers: family.slidingLayers)
            c.slidingRoPETheta = 10_000
        }
        return c
    }

    /// Everything needed to make the model. The seed of every random draw (weights and
    /// vocabulary) is the FNV-1a hash of the name, so the same name always makes the same bytes.
    public var spec: SyntheticSpec {
        SyntheticSpec(name: rawValue, config: config, recipe: recipe,
                      vocabulary: architecture.vocabulary,
                      seed: rawValue.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 })
    }
}

/// The real models whose shapes the synthetic models copy.
public enum SyntheticArchitecture: Sendable {
    /// facebook/layerskip-llama3.2-1B (the LayerSkip checkpoint, Elhoushi et al. 2024,
    /// arXiv:2404.16710; its `config.json`): 16 layers, hidden 2048, FFN 8192, 32/8
    /// heads of 64, vocab 128256, tied embeddings, RoPE θ 500000 with llama3 scaling (factor 32,
    /// low 1, high 4, original 8192 positions).
    case layerSkipLlama32OneB
    /// meta-llama/Meta-Llama-3-8B: 32 layers, hidden 4096, FFN 14336, 32/8 heads of 128,
    /// vocab 128256, untied, RoPE θ 500000.
    case llama3EightB
    /// meta-llama/Llama-2-7b: 32 layers, hidden 4096, FFN 11008, 32/32 heads of 128, vocab 32000,
    /// untied, RoPE θ 10000, SentencePiece vocabulary.
    case llama2SevenB

    public var modelName: String {
        switch self {
        case .layerSkipLlama32OneB: "layerskip-llama3.2-1B"
        case .llama3EightB: "llama3-8B"
        case .llama2SevenB: "llama2-7B"
        }
    }

    /// Llama 3.1-style RoPE scaling of the original model, written into the GGUF file as
    /// `rope_freqs.weight` (as llama.cpp's converter does); nil when the model has none.
    var ropeScaling: Llama3RoPEScaling? {
        self == .layerSkipLlama32OneB
            ? Llama3RoPEScaling(factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 8192) : nil
    }

    /// The config as skipchat reads it back from the synthetic GGUF file: adjacent-pair RoPE
    /// (the GGUF layout) and the scaling as per-frequency divisors (`ropeFrequencyFactors`).
    public var config: LlamaConfig {
        let config: LlamaConfig
        switch self {
        case .layerSkipLlama32OneB:
            config = LlamaConfig(layerCount: 16, hiddenSize: 2048, ffnSize: 8192, headCount: 32, kvHeadCount: 8, headDim: 64,
                                 vocabSize: 128_256, contextLength: 131_072, rmsNormEps: 1e-5, ropeTheta: 500_000,
                                 ropeScaling: nil, ropeFrequencyFactors: nil, ropeStyle: .adjacentPairs, tiedEmbeddings: true)
        case .llama3EightB:
            config = LlamaConfig(layerCount: 32, hiddenSize: 4096, ffnSize: 14336, headCount: 32, kvHeadCount: 8, headDim: 128,
                                 vocabSize: 128_256, contextLength: 8192, rmsNormEps: 1e-5, ropeTheta: 500_000,
                                 ropeScaling: nil, ropeFrequencyFactors: nil, ropeStyle: .adjacentPairs, tiedEmbeddings: false)
        case .llama2SevenB:
            config = LlamaConfig(layerCount: 32, hiddenSize: 4096, ffnSize: 11008, headCount: 32, kvHeadCount: 32, headDim: 128,
                                 vocabSize: 32000, contextLength: 4096, rmsNormEps: 1e-5, ropeTheta: 10_000,
                                 ropeScaling: nil, ropeFrequencyFactors: nil, ropeStyle: .adjacentPairs, tiedEmbeddings: false)
        }
        var withFactors = config
        withFactors.ropeFrequencyFactors = ropeScaling.map { Self.ropeFactors(headDim: config.headDim, theta: config.ropeTheta, scaling: $0) }
        return withFactors
    }

    /// The vocabulary family: Llama 3 byte-level BPE or Llama 2 SentencePiece.
    var vocabulary: SyntheticVocabulary.Family {
        self == .llama2SevenB ? .sentencePiece : .llama3BPE
    }

    /// Per-pair divisors of the RoPE frequencies equivalent to `scaling` (llama.cpp's converter,
    /// `LlamaModel.generate_extra_tensors`): unscaled inverse frequency ÷ scaled one.
    static func ropeFactors(headDim: Int, theta: Float, scaling: Llama3RoPEScaling) -> [Float] {
        let plain = ropeInverseFrequencies(headDim: headDim, theta: theta, scaling: nil, factors: nil)
        let scaled = ropeInverseFrequencies(headDim: headDim, theta: theta, scaling: scaling, factors: nil)
        return zip(plain, scaled).map { $0 / $1 }
    }
}
