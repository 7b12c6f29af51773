extension Architecture {
    /// Phi-3 / Phi-3.5 / Phi-4-mini (transformers `modeling_phi3.py`): Llama's block with Q, K
    /// and V in one matrix (`qkv_proj`, GGUF `attn_qkv`) and gate and up in one (`gate_up_proj`,
    /// GGUF `ffn_up`, gate rows first); rotate-half RoPE, with LongRoPE's short factors and
    /// attention factor when the config has them (the context is kept to the original length).
    public static let phi3 = Architecture(
        name: "phi3",
        ggufNames: ["phi3"],
        huggingFaceModelTypes: ["phi3"],
        fusedProjections: true,
        ropeScalingTypes: ["longrope", "su"])
}
