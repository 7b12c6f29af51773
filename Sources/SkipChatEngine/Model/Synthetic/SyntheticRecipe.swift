/// How a synthetic model's weights are stored: one type for everything, or llama.cpp's Q4_K_M mix.
public enum SyntheticRecipe: Sendable {
    /// Every matrix BF16 (as the released Hugging Face checkpoint).
    case bf16
    /// Every matrix Q8_0 (`llama-quantize … Q8_0`).
    case q8_0
    /// llama.cpp's LLAMA_FTYPE_MOSTLY_Q4_K_M mix (see `type(of:layer:layerCount:tied:)`).
    case q4_K_M

    /// A matrix of a Llama model, as the recipe sees it.
    public enum Matrix: Sendable, CaseIterable {
        case tokenEmbedding, output, query, key, value, attentionOutput, gate, up, down
    }

    /// "BF16", "Q8_0", "Q4_K_M".
    public var name: String {
        switch self {
        case .bf16: "BF16"
        case .q8_0: "Q8_0"
        case .q4_K_M: "Q4_K_M"
        }
    }

    /// `general.file_type`: llama.cpp's `llama_ftype` value (llama.h: MOSTLY_Q8_0 = 7,
    /// MOSTLY_Q4_K_M = 15, MOSTLY_BF16 = 32).
    var fileType: UInt32 {
        switch self {
        case .bf16: 32
        case .q8_0: 7
        case .q4_K_M: 15
        }
    }

    /// The storage type of one matrix. Norms and RoPE factors are always F32 (llama.cpp never
    /// quantizes 1-D tensors). For Q4_K_M this follows llama.cpp's `llama_tensor_get_type`
    /// (src/llama-quant.cpp) for a dense Llama model whose row sizes are multiples of 256:
    /// the output matrix — or the token embedding when it doubles as the output (tied) — is
    /// Q6_K; attn_v and ffn_down are Q6_K in the "use_more_bits" layers (the first and last
    /// eighth, and every third layer between); everything else is Q4_K.
    ///
    /// - Parameters:
    ///   - layer: the block index for per-layer matrices (ignored for the embedding and output).
    public func type(of matrix: Matrix, layer: Int, layerCount: Int, tied: Bool) -> TensorType {
        switch self {
        case .bf16: return .bf16
        case .q8_0: return .q8_0
        case .q4_K_M:
            switch matrix {
            case .output: return .q6_K
            case .tokenEmbedding: return tied ? .q6_K : .q4_K
            case .value, .down: return Self.usesMoreBits(layer: layer, layerCount: layerCount) ? .q6_K : .q4_K
            case .query, .key, .attentionOutput, .gate, .up: return .q4_K
            }
        }
    }

    /// llama.cpp's `use_more_bits(i_layer, n_layers)`.
    static func usesMoreBits(layer i: Int, layerCount n: Int) -> Bool {
        i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
    }
}
