extension Architecture {
    /// Qwen2 / Qwen2.5 (transformers `modeling_qwen2.py`): Llama's block with a bias on the Q, K
    /// and V projections. llama.cpp's converter keeps Q/K in Hugging Face order (rotate-half
    /// RoPE, ggml's NEOX style). The config's `sliding_window` applies only with
    /// `use_sliding_window`, which released models leave off.
    public static let qwen2 = Architecture(
        name: "qwen2",
        ggufNames: ["qwen2"],
        huggingFaceModelTypes: ["qwen2"],
        attentionBiases: true)
}
