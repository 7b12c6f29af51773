import Foundation

/// The fields of a Hugging Face `config.json` (transformers `LlamaConfig` and the families of
/// `Architecture.all`) that skipchat uses.
/// Absent optional fields take transformers' defaults when the config is turned into a `LlamaConfig`.
package struct HFConfig: Decodable {
    var modelType: String?
    var hiddenSize: Int
    var numHiddenLayers: Int
    var numAttentionHeads: Int
    var numKeyValueHeads: Int?
    var headDim: Int?
    var intermediateSize: Int
    var vocabSize: Int
    var rmsNormEps: Double?
    var ropeTheta: Double?
    var ropeScaling: RoPEParameters?
    /// transformers ≥ 5 writes `rope_parameters` (theta and scaling together) instead.
    var ropeParameters: RoPEParameters?
    var tieWordEmbeddings: Bool?
    var bosTokenId: TokenIDs?
    var eosTokenId: TokenIDs?
    var maxPositionEmbeddings: Int?
    /// Sliding attention window (Mistral, Phi-3, Gemma 3; Qwen2/3 only with `use_sliding_window`).
    var slidingWindow: Int?
    var useSlidingWindow: Bool?
    /// Gemma 3: "sliding_attention" / "full_attention" per layer (transformers ≥ 4.53), or the
    /// older `sliding_window_pattern` (every n-th layer global).
    var layerTypes: [String]?
    var slidingWindowPattern: Int?
    /// Gemma 3: RoPE base of the sliding layers.
    var ropeLocalBaseFreq: Double?
    /// Gemma: queries are scaled by 1/sqrt(query_pre_attn_scalar).
    var queryPreAttnScalar: Double?
    var finalLogitSoftcapping: Double?
    var attnLogitSoftcapping: Double?
    /// Phi-3: RoPE on a fraction of each head (skipchat needs 1).
    var partialRotaryFactor: Double?
    /// Phi-3 LongRoPE: the context the short factors were trained for.
    var originalMaxPositionEmbeddings: Int?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", numKeyValueHeads = "num_key_value_heads"
        case headDim = "head_dim", intermediateSize = "intermediate_size", vocabSize = "vocab_size"
        case rmsNormEps = "rms_norm_eps", ropeTheta = "rope_theta", ropeScaling = "rope_scaling"
        case ropeParameters = "rope_parameters", tieWordEmbeddings = "tie_word_embeddings"
        case bosTokenId = "bos_token_id", eosTokenId = "eos_token_id"
        case maxPositionEmbeddings = "max_position_embeddings", slidingWindow = "sliding_window"
        case useSlidingWindow = "use_sliding_window", layerTypes = "layer_types"
        case slidingWindowPattern = "sliding_window_pattern", ropeLocalBaseFreq = "rope_local_base_freq"
        case queryPreAttnScalar = "query_pre_attn_scalar", finalLogitSoftcapping = "final_logit_softcapping"
        case attnLogitSoftcapping = "attn_logit_softcapping", partialRotaryFactor = "partial_rotary_factor"
        case originalMaxPositionEmbeddings = "original_max_position_embeddings"
    }

    /// `rope_scaling` / `rope_parameters`.
    struct RoPEParameters: Decodable {
        var ropeType: String?
        /// Older configs spell `rope_type` as `type`.
        var type: String?
        var ropeTheta: Double?
        var factor: Double?
        var lowFreqFactor: Double?
        var highFreqFactor: Double?
        var originalMaxPositionEmbeddings: Int?
        /// LongRoPE (Phi-3): per-frequency divisors for contexts up to / beyond the original length.
        var shortFactor: [Double]?
        var longFactor: [Double]?

        enum CodingKeys: String, CodingKey {
            case ropeType = "rope_type", type, ropeTheta = "rope_theta", factor
            case lowFreqFactor = "low_freq_factor", highFreqFactor = "high_freq_factor"
            case originalMaxPositionEmbeddings = "original_max_position_embeddings"
            case shortFactor = "short_factor", longFactor = "long_factor"
        }
    }

    /// A token id field that may be one integer or a list of them.
    struct TokenIDs: Decodable {
        var ids: [Int]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let id = try? container.decode(Int.self) {
                ids = [id]
            } else {
                ids = try container.decode([Int].self)
            }
        }
    }
}
