extension Architecture {
    /// Qwen3 (transformers `modeling_qwen3.py`): Llama's block with a per-head RMSNorm of the
    /// queries and keys before RoPE (`q_norm`, `k_norm`, [head_dim] weights) and a `head_dim`
    /// that need not be hidden / heads. Rotate-half RoPE in both formats.
    public static let qwen3 = Architecture(
        name: "qwen3",
        ggufNames: ["qwen3"],
        huggingFaceModelTypes: ["qwen3"],
        queryKeyNorm: true)
}
