/// What one model family's transformer block is made of, declared once per family in
/// `Architectures/<Family>.swift`, which names only what differs from the defaults here (a
/// Llama block with rotate-half RoPE: RMSNorm, no biases, SwiGLU, unscaled embeddings) (the pattern of mlx-swift-lm's one file per architecture).
/// `TransformerBlock`, `ForwardPass` and the loaders read every property from here; sizes and
/// values that vary between models of a family (window, RoPE bases, soft-caps) are in `LlamaConfig`.
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
        /// GELU with the tanh approximation: GeGLU (Gemma; PyTorch `gelu(approximate="tanh")`).
        case geluTanh
    }

    /// Factor applied to token embeddings before layer 0.
    public enum EmbeddingScale: Sendable, Equatable {
        /// Embeddings enter the residual stream as stored.
        case none
        /// Multiplied by sqrt(hidden) (Gemma).
        case squareRootOfHidden
    }

    /// Which layers use the config's sliding window (when it sets one).
    public enum SlidingLayers: Sendable, Equatable {
        /// Every layer (Mistral).
        case all
        /// All but every `period`-th layer (index % period == period − 1), which attend globally
        /// (Gemma 3: period 6, llama.cpp's `set_swa_pattern(6)`), unless the config lists them.
        case allButEvery(Int)
    }

    /// The family's name in messages ("llama").
    public var name: String
    /// `general.architecture` values of GGUF files of this family.
    public var ggufNames: Set<String>
    /// `model_type` values of Hugging Face `config.json` files of this family.
    public var huggingFaceModelTypes: Set<String>
    /// Tensor names in GGUF files and in Hugging Face checkpoints.
    var ggufTensorNames: LlamaTensorNames = .gguf
    var huggingFaceTensorNames: LlamaTensorNames = .huggingFace(postNorms: false)
    public var norm: Norm = .rms
    /// Added to every norm weight read from a Hugging Face checkpoint: Gemma computes
    /// x̂ · (1 + w) (transformers `Gemma3RMSNorm`); llama.cpp's converter stores 1 + w in the GGUF.
    public var huggingFaceNormOffset: Float = 0
    /// Whether the Q, K and V projections must add a bias (Qwen2). Other families add one when
    /// the file has it.
    public var attentionBiases = false
    /// Whether queries and keys get a per-head RMSNorm before RoPE (Qwen3, Gemma 3).
    public var queryKeyNorm = false
    /// Whether the attention and MLP outputs are normed before they join the residual stream
    /// (Gemma 2/3's post-attention and post-feed-forward norms).
    public var postNorms = false
    /// Whether Q, K and V are one matrix (rows q, k, v) and gate and up one matrix (rows gate,
    /// up) in both formats (Phi-3: `qkv_proj`, `gate_up_proj`; GGUF `attn_qkv`, `ffn_up`).
    public var fusedProjections = false
    public var activation: Activation = .silu
    /// How RoPE pairs dimensions in GGUF files (llama.cpp's converter permutes Q/K of "llama"
    /// files to adjacent pairs; others keep rotate-half). Hugging Face checkpoints use rotate-half.
    public var ggufRoPEStyle: RoPEStyle = .rotateHalf
    /// `rope_scaling.rope_type` values of `config.json` the family may use ("default" is always allowed).
    public var ropeScalingTypes: Set<String> = []
    public var embeddingScale: EmbeddingScale = .none
    public var slidingLayers: SlidingLayers = .all

    /// Families are identified by name (one declaration each).
    public static func == (a: Architecture, b: Architecture) -> Bool { a.name == b.name }

    /// Families skipchat knows, in the order they are tried.
    public static let all: [Architecture] = [.llama, .qwen2, .qwen3, .gemma3, .phi3]

    /// The family whose GGUF files say `general.architecture = name`.
    public static func gguf(_ name: String) -> Architecture? { all.first { $0.ggufNames.contains(name) } }

    /// The family of a Hugging Face `model_type`.
    public static func huggingFace(_ modelType: String) -> Architecture? {
        all.first { $0.huggingFaceModelTypes.contains(modelType) }
    }
}
