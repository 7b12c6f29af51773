extension Architecture {
    /// Llama 2/3 and Mistral (Touvron et al. 2023; transformers `modeling_llama.py`): RMSNorm,
    /// no biases, SwiGLU, RoPE with optional Llama 3.1 scaling, unscaled embeddings. Mistral's
    /// sliding window is as wide as the context skipchat allows it (`HFConfig.llamaConfig`).
    public static let llama = Architecture(
        name: "llama",
        ggufNames: ["llama", "mistral"],
        huggingFaceModelTypes: ["llama", "mistral"],
        ggufTensorNames: .gguf,
        huggingFaceTensorNames: .huggingFace,
        norm: .rms,
        attentionBiases: false,
        queryKeyNorm: false,
        activation: .silu,
        ggufRoPEStyle: .adjacentPairs,
        ropeScalingTypes: ["llama3"],
        embeddingScale: .none,
        attentionSoftcap: nil,
        finalLogitSoftcap: nil,
        slidingWindow: nil)
}
