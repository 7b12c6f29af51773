extension Architecture {
    /// Gemma 3, text only (transformers `modeling_gemma3.py`, `Gemma3ForCausalLM`):
    /// embeddings × sqrt(hidden); RMSNorm as x̂ · (1 + w), which llama.cpp's converter stores as
    /// 1 + w; norms before and after attention and the MLP; a GeGLU MLP (GELU-tanh); Q/K norms;
    /// queries scaled by 1/sqrt(query_pre_attn_scalar); sliding-window layers with their own
    /// RoPE base, every sixth layer global; a tied head, with a soft-cap when the config sets one.
    public static let gemma3 = Architecture(
        name: "gemma3",
        ggufNames: ["gemma3"],
        huggingFaceModelTypes: ["gemma3_text"],
        huggingFaceTensorNames: .huggingFace(postNorms: true),
        huggingFaceNormOffset: 1,
        queryKeyNorm: true,
        postNorms: true,
        activation: .geluTanh,
        ropeScalingTypes: ["linear"],
        embeddingScale: .squareRootOfHidden,
        slidingLayers: .allButEvery(6))
}
