extension Architecture {
    /// Llama 2/3 and Mistral (Touvron et al. 2023; transformers `modeling_llama.py`,
    /// `modeling_mistral.py`): RMSNorm, no biases, SwiGLU, RoPE with optional Llama 3.1 scaling,
    /// unscaled embeddings. Mistral's sliding window, when its config sets one, covers every
    /// layer. llama.cpp's converter writes Mistral as a "llama" GGUF with permuted Q/K.
    public static let llama = Architecture(
        name: "llama",
        ggufNames: ["llama", "mistral"],
        huggingFaceModelTypes: ["llama", "mistral"],
        ggufRoPEStyle: .adjacentPairs,
        ropeScalingTypes: ["llama3"])
}
