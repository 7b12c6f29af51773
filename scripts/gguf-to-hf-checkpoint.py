#!/usr/bin/env python3
"""Writes a Hugging Face checkpoint directory (config.json + model.safetensors) holding the very
tensors of a Llama GGUF file made by `skipchat bench synthetic-gguf` (BF16/F16/F32), under their HF
names, for timing quantise-on-load against llama.cpp's llama_model_quantize on the same tensors
(scripts/bench-quantize.sh). The bytes are copied as stored (GGUF's Q/K row permutation is not
undone: the values are random, only the shapes and types matter for speed).

Usage: .venv-bench/bin/python scripts/gguf-to-hf-checkpoint.py IN.gguf OUT_DIR
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
from gguf import GGUFReader, GGMLQuantizationType as Q

NAMES = {"token_embd.weight": "model.embed_tokens.weight", "output_norm.weight": "model.norm.weight",
         "output.weight": "lm_head.weight"}
LAYER = {"attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
         "attn_output": "self_attn.o_proj", "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj",
         "ffn_down": "mlp.down_proj", "attn_norm": "input_layernorm", "ffn_norm": "post_attention_layernorm"}
DTYPES = {Q.BF16: "BF16", Q.F16: "F16", Q.F32: "F32"}


def hf_name(name):
    if name in NAMES:
        return NAMES[name]
    _, layer, part, _ = name.split(".")
    return "model.layers.%s.%s.weight" % (layer, LAYER[part])


def main(source, out):
    reader = GGUFReader(source)
    field = lambda key: reader.fields[key].contents() if key in reader.fields else None
    arch = field("general.architecture")
    tensors = [t for t in reader.tensors if t.name != "rope_freqs.weight"]
    config = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": int(field(arch + ".embedding_length")), "intermediate_size": int(field(arch + ".feed_forward_length")),
        "num_hidden_layers": int(field(arch + ".block_count")), "num_attention_heads": int(field(arch + ".attention.head_count")),
        "num_key_value_heads": int(field(arch + ".attention.head_count_kv")), "rms_norm_eps": float(field(arch + ".attention.layer_norm_rms_epsilon")),
        "rope_theta": float(field(arch + ".rope.freq_base") or 10000.0), "max_position_embeddings": int(field(arch + ".context_length")),
        "vocab_size": int([t for t in tensors if t.name == "token_embd.weight"][0].shape[1]),
        "tie_word_embeddings": not any(t.name == "output.weight" for t in tensors), "torch_dtype": "bfloat16",
    }
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(config, indent=2))
    header, offset = {}, 0
    for t in tensors:
        shape = [int(d) for d in reversed(t.shape)]
        header[hf_name(t.name)] = {"dtype": DTYPES[t.tensor_type], "shape": shape, "data_offsets": [offset, offset + t.n_bytes]}
        offset += t.n_bytes
    blob = json.dumps(header).encode()
    blob += b" " * (-len(blob) % 8)
    with open(out / "model.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(blob)) + blob)
        for t in tensors:
            np.asarray(t.data).tofile(f)
    print("wrote", out, "(%d tensors, %.2f GB)" % (len(tensors), offset / 1e9))


if __name__ == "__main__":
    main(*sys.argv[1:3])
