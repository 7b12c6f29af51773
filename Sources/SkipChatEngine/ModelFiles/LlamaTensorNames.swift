/// What a file format calls each Llama weight.
struct LlamaTensorNames: Sendable {
    let tokenEmbedding: String
    let finalNorm: String
    let lmHead: String
    /// Name of a per-layer weight: `layer(3, .query)` → "blk.3.attn_q.weight".
    let layer: @Sendable (Int, LayerWeight) -> String

    enum LayerWeight: CaseIterable {
        case attentionNorm, query, key, value, output, ffnNorm, gate, up, down
    }

    /// llama.cpp GGUF names (gguf-py `MODEL_TENSOR` for `MODEL_ARCH.LLAMA`).
    static let gguf = LlamaTensorNames(tokenEmbedding: "token_embd.weight", finalNorm: "output_norm.weight",
                                       lmHead: "output.weight") { index, weight in
        let part = switch weight {
        case .attentionNorm: "attn_norm"
        case .query: "attn_q"
        case .key: "attn_k"
        case .value: "attn_v"
        case .output: "attn_output"
        case .ffnNorm: "ffn_norm"
        case .gate: "ffn_gate"
        case .up: "ffn_up"
        case .down: "ffn_down"
        }
        return "blk.\(index).\(part).weight"
    }

    /// Hugging Face transformers `LlamaForCausalLM` state-dict names.
    static let huggingFace = LlamaTensorNames(tokenEmbedding: "model.embed_tokens.weight", finalNorm: "model.norm.weight",
                                              lmHead: "lm_head.weight") { index, weight in
        let part = switch weight {
        case .attentionNorm: "input_layernorm"
        case .query: "self_attn.q_proj"
        case .key: "self_attn.k_proj"
        case .value: "self_attn.v_proj"
        case .output: "self_attn.o_proj"
        case .ffnNorm: "post_attention_layernorm"
        case .gate: "mlp.gate_proj"
        case .up: "mlp.up_proj"
        case .down: "mlp.down_proj"
        }
        return "model.layers.\(index).\(part).weight"
    }
}
