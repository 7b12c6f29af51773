/// What one model family's transformer block is made of, declared once per family in
/// `Architectures/<Family>.swift` (the pattern of mlx-swift-lm's one file per architecture).
/// `TransformerBlock`, `ForwardPass` and the loaders read every property from here, so a new
/// family is one declaration plus its fixtures, once the runtime implements what it declares.
public struct Architecture: Sendable, Equatable {
    /// Normalisation before attention, before the MLP and before the head.
    public enum Norm: Sendable, Equatable {
        /// x · w / sqrt(mean(x²) + eps) (Zhang & Sennrich 2019).
        case rms
    }

    /// Activation of the gated MLP: down · (act(gate · n) ⊙ up · n).
    public enum Activation: Sendable, Equatable {
        /// SiLU, x · sigmoid(x): SwiGLU (Shazeer 2020).
        case silu
    }

    /// Factor applied to token embeddings before layer 0.
    public enum EmbeddingScale: Sendable, Equatable {
        /// Embeddings enter the residual stream as stored.
        case none
        /// Multiplied by sqrt(hidden) (Gemma).
        case squareRootOfHidden
    }

    /// Attention restricted to the last `size` positions in some layers.
    public struct SlidingWindow: Sendable, Equatable {
        public var size: Int
        /// Every `period`-th layer (index % period == period − 1) attends globally; 1 = none.
        public var globalLayerPeriod: Int
    }

    /// The family's name in messages ("llama").
    public var name: String
    /// `general.architecture` values of GGUF files of this family.
    public var ggufNames: Set<String>
    /// `model_type` values of Hugging Face `config.json` files of this family.
    public var huggingFaceModelTypes: Set<String>
    /// Tensor names in GGUF files and in Hugging Face checkpoints.
    var ggufTensorNames: LlamaTensorNames
    var huggingFaceTensorNames: LlamaTensorNames
    public var norm: Norm
    /// Whether the Q, K and V projections add a bias (Qwen2).
    public var attentionBiases: Bool
    /// Whether queries and keys get a per-head RMSNorm before RoPE (Qwen3, Gemma3).
    public var queryKeyNorm: Bool
    public var activation: Activation
    /// How RoPE pairs dimensions in GGUF files (llama.cpp's converter permutes Q/K of "llama"
    /// files to adjacent pairs; others keep rotate-half). Hugging Face checkpoints use rotate-half.
    public var ggufRoPEStyle: RoPEStyle
    /// `rope_scaling.rope_type` values of `config.json` the family may use ("default" is always allowed).
    public var ropeScalingTypes: Set<String>
    public var embeddingScale: EmbeddingScale
    /// tanh soft-cap of attention scores, cap · tanh(s / cap) (Gemma 2), or nil.
    public var attentionSoftcap: Float?
    /// tanh soft-cap of the head's logits (Gemma 2), or nil.
    public var finalLogitSoftcap: Float?
    public var slidingWindow: SlidingWindow?

    /// Declared properties the runtime does not implement yet (empty for every family that may load).
    public var unimplemented: [String] {
        var missing: [String] = []
        if attentionBiases { missing.append("attention biases") }
        if queryKeyNorm { missing.append("QK-norm") }
        if attentionSoftcap != nil || finalLogitSoftcap != nil { missing.append("soft-capping") }
        if slidingWindow != nil { missing.append("sliding-window attention") }
        return missing
    }

    /// Families are identified by name (one declaration each).
    public static func == (a: Architecture, b: Architecture) -> Bool { a.name == b.name }

    /// Families skipchat knows, in the order they are tried.
    public static let all: [Architecture] = [.llama]

    /// The family whose GGUF files say `general.architecture = name`.
    public static func gguf(_ name: String) -> Architecture? { all.first { $0.ggufNames.contains(name) } }

    /// The family of a Hugging Face `model_type`.
    public static func huggingFace(_ modelType: String) -> Architecture? {
        all.first { $0.huggingFaceModelTypes.contains(modelType) }
    }
}
