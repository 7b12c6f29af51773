/// A model with random weights held in memory, for benchmarks of shapes the user has not
/// downloaded (e.g. a LayerSkip-Llama3.2-1B-shaped model in BF16). Weights are drawn uniformly
/// from ±`scale`; norms are 1. Owns its memory; keep it alive while `weights` are used.
public final class SyntheticModel: @unchecked Sendable {
    public let config: LlamaConfig
    public let weights: LlamaWeights
    private var buffers: [UnsafeMutableRawPointer] = []

    /// The shape of facebook/layerskip-llama3.2-1B (DESIGN.md §2): 16 layers, hidden 2048,
    /// FFN 8192, 32/8 heads of 64, vocab 128256, tied embeddings, llama3 RoPE scaling.
    public static let llama32OneB = LlamaConfig(
        layerCount: 16, hiddenSize: 2048, ffnSize: 8192, headCount: 32, kvHeadCount: 8, headDim: 64,
        vocabSize: 128_256, contextLength: 131_072, rmsNormEps: 1e-5, ropeTheta: 500_000,
        ropeScaling: Llama3RoPEScaling(factor: 32, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 8192),
        ropeStyle: .rotateHalf, tiedEmbeddings: true)

    /// - Parameters:
    ///   - type: storage type of the 2-D weights: .bf16, .f16 or .f32.
    public init(config: LlamaConfig, type: TensorType, seed: UInt64 = 1, scale: Float = 0.02) {
        precondition([.bf16, .f16, .f32].contains(type), "synthetic weights are float types")
        self.config = config
        var rng = SeededGenerator(seed: seed)
        let d = config.hiddenSize, q = config.headCount * config.headDim, kv = config.kvHeadCount * config.headDim
        var buffers: [UnsafeMutableRawPointer] = []
        func matrix(_ name: String, _ rows: Int, _ cols: Int) -> WeightTensor {
            let bytes = rows * cols * type.blockBytes
            let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            buffers.append(raw)
            for i in 0..<rows * cols {
                let value = (rng.nextUnit() * 2 - 1) * scale
                switch type {
                case .f32: raw.storeBytes(of: value, toByteOffset: i * 4, as: Float.self)
                case .f16: raw.storeBytes(of: Float16(value).bitPattern, toByteOffset: i * 2, as: UInt16.self)
                default: raw.storeBytes(of: UInt16(truncatingIfNeeded: value.bitPattern >> 16), toByteOffset: i * 2, as: UInt16.self)
                }
            }
            return WeightTensor(name: name, type: type, rows: rows, cols: cols, data: raw)
        }
        func ones(_ name: String, _ n: Int) -> WeightTensor {
            let raw = UnsafeMutableRawPointer.allocate(byteCount: n * 4, alignment: 64)
            buffers.append(raw)
            raw.initializeMemory(as: Float.self, repeating: 1, count: n)
            return WeightTensor(name: name, type: .f32, rows: 1, cols: n, data: raw)
        }
        let embedding = matrix("token_embd", config.vocabSize, d)
        let layers = (0..<config.layerCount).map { l in
            LlamaLayerWeights(attentionNorm: ones("blk.\(l).attn_norm", d), query: matrix("q", q, d), key: matrix("k", kv, d),
                              value: matrix("v", kv, d), output: matrix("o", d, q), ffnNorm: ones("ffn_norm", d),
                              gate: matrix("gate", config.ffnSize, d), up: matrix("up", config.ffnSize, d),
                              down: matrix("down", d, config.ffnSize))
        }
        let head = config.tiedEmbeddings ? embedding : matrix("output", config.vocabSize, d)
        weights = LlamaWeights(tokenEmbedding: embedding, layers: layers, finalNorm: ones("output_norm", d), lmHead: head)
        self.buffers = buffers
    }

    deinit { buffers.forEach { $0.deallocate() } }
}
