/// What a file format calls each weight of a decoder-only transformer.
struct LlamaTensorNames: Sendable {
    let tokenEmbedding: String
    let finalNorm: String
    let lmHead: String
    /// Name of a per-layer weight: `layer(3, .query)` → "blk.3.attn_q.weight".
    let layer: @Sendable (Int, LayerWeight) -> String

    enum LayerWeight: CaseIterable {
        case attentionNorm, query, key, value, output, ffnNorm, gate, up, down
        case queryBias, keyBias, valueBias, queryNorm, keyNorm, postAttentionNorm, postFFNNorm
        /// Q, K and V rows in one matrix; gate and up rows in one matrix (Phi-3).
        case fusedQKV, fusedGateUp
    }

    /// llama.cpp GGUF names (gguf-py `MODEL_TENSOR` / `TENSOR_NAMES`; one set for every
    /// architecture). Phi-3's `ffn_up` holds gate and up rows (`fusedGateUp`).
    static let gguf: LlamaTensorNames = {
        LlamaTensorNames(tokenEmbedding: "token_embd.weight", finalNorm: "output_norm.weight",
                         lmHead: "output.weight") { index, weight in
            let part = switch weight {
            case .attentionNorm: "attn_norm.weight"
            case .query: "attn_q.weight"
            case .key: "attn_k.weight"
            case .value: "attn_v.weight"
            case .output: "attn_output.weight"
            case .ffnNorm: "ffn_norm.weight"
            case .gate: "ffn_gate.weight"
            case .up: "ffn_up.weight"
            case .down: "ffn_down.weight"
            case .queryBias: "attn_q.bias"
            case .keyBias: "attn_k.bias"
            case .valueBias: "attn_v.bias"
            case .queryNorm: "attn_q_norm.weight"
            case .keyNorm: "attn_k_norm.weight"
            case .postAttentionNorm: "post_attention_norm.weight"
            case .postFFNNorm: "post_ffw_norm.weight"
            case .fusedQKV: "attn_qkv.weight"
            case .fusedGateUp: "ffn_up.weight"
            }
            return "blk.\(index).\(part)"
        }
    }()

    /// Hugging Face transformers state-dict names (`LlamaForCausalLM` and its relatives). With
    /// `postNorms` (Gemma 2/3), `post_attention_layernorm` is the norm after attention and
    /// `pre_feedforward_layernorm` the one before the MLP; otherwise `post_attention_layernorm`
    /// is the norm before the MLP (and there is no norm after attention).
    static func huggingFace(postNorms: Bool) -> LlamaTensorNames {
        LlamaTensorNames(tokenEmbedding: "model.embed_tokens.weight", finalNorm: "model.norm.weight",
                         lmHead: "lm_head.weight") { index, weight in
            let part = switch weight {
            case .attentionNorm: "input_layernorm.weight"
            case .query: "self_attn.q_proj.weight"
            case .key: "self_attn.k_proj.weight"
            case .value: "self_attn.v_proj.weight"
            case .output: "self_attn.o_proj.weight"
            case .ffnNorm: postNorms ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight"
            case .gate: "mlp.gate_proj.weight"
            case .up: "mlp.up_proj.weight"
            case .down: "mlp.down_proj.weight"
            case .queryBias: "self_attn.q_proj.bias"
            case .keyBias: "self_attn.k_proj.bias"
            case .valueBias: "self_attn.v_proj.bias"
            case .queryNorm: "self_attn.q_norm.weight"
            case .keyNorm: "self_attn.k_norm.weight"
            case .postAttentionNorm: "post_attention_layernorm.weight"
            case .postFFNNorm: "post_feedforward_layernorm.weight"
            case .fusedQKV: "self_attn.qkv_proj.weight"
            case .fusedGateUp: "mlp.gate_up_proj.weight"
            }
            return "model.layers.\(index).\(part)"
        }
    }
}
