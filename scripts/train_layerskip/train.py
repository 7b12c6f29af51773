#!/usr/bin/env python3
"""Train a tiny Llama-architecture chat model with the LayerSkip recipe, on the CPU, in minutes.

What it writes
--------------
``models/tiny-layerskip/`` — a Hugging Face checkpoint directory that skipchat loads:

- ``config.json``            LlamaForCausalLM fields, ``torch_dtype: bfloat16``
- ``model.safetensors``      BF16 tensors with Hugging Face names (weights are [out, in]);
                             tied embeddings, so there is no ``lm_head.weight``
- ``tokenizer.json``         byte-level BPE trained here on the corpus (SmolLM2-style
                             pre-tokenizer: digits one by one, then the GPT-2 regex)
- ``tokenizer_config.json``  special tokens and a ChatML ``chat_template``
- ``generation_config.json`` bos / eos ids

The model is a standard Llama: RMSNorm, rotate-half RoPE (the HF convention, *not* GGUF's
adjacent pairs), grouped-query attention, SwiGLU MLP, causal attention, tied LM head.

The recipe (LayerSkip, Elhoushi et al. 2024, arXiv 2404.16710)
--------------------------------------------------------------
- **Layer dropout rising with depth.** Layer l (0-based, of L) is skipped for a whole sequence
  with probability ``p_l = s · (exp(l·ln2/(L−1)) − 1)``, where s is chosen so the last layer's
  rate is ``--p-max``: the first layer is never dropped, the last is dropped with p_max. Dropout
  is per sequence in the batch (as torchtune's LayerDropout), and is off at evaluation.
- **Early-exit loss at every layer.** The residual stream after every layer goes through the
  model's *shared* final RMSNorm and the *shared* (tied) LM head; the loss is
  ``Σ_l ẽ_l · CE_l`` with the paper's "sum_l" scale: ``e_l = e_scale · Σ_{i≤l} i`` for
  l < L−1 and ``e_{L−1} = L−1 + e_scale · Σ_{i≤L−2} i``, normalised to sum to one. So weights
  rise with depth and the last layer always carries the largest share.
- **Curriculum.** To keep the LM-head cost down (it would otherwise be applied L times per
  token), the early exits below the last layer are scored on a random ``--exit-fraction`` of the
  positions each step (fresh every step, so over training every position/layer pair is seen);
  the last layer is always scored on every position. This plays the role of the paper's
  rotational curriculum (which enables a rotating subset of exits each step) at a fixed cost
  and with one compiled step function.

Why JAX
-------
The PyPI ``torch`` wheel for Linux x86_64 is a CUDA build that pulls ~3 GB of ``nvidia-*`` and
``triton`` wheels (checked with ``pip install --dry-run``); the CPU-only builds are not on PyPI,
the only registry this project may use. ``jax``/``jaxlib`` CPU wheels are ~90 MB in all, jit
compile the whole training step (fused, multi-threaded XLA), and ``jax.grad`` spares us
hand-written backprop. Optimiser (AdamW, warmup + cosine) is written here in a few lines, so
there is no optax dependency.

Corpus
------
``chitchat-dataset`` (PyPI, MIT, BYU PCC lab): 7,168 casual two-person conversations. Its
package ships ``chitchat_dataset/dataset.json``: ``{id: {"messages": [[{"text", "sender",
...}, ...], ...], "prompt", ...}}``, where each inner list is one turn (consecutive messages of
one sender). Each conversation becomes ChatML: the first speaker is ``user``, the second
``assistant``, alternating; a turn's messages are joined with a space. One conversation in
``--system-fraction`` gets a short system prompt so ``--system`` chats stay in distribution.
Held out (never trained on): conversations whose index in key order is ≡ 0 mod 50 — ``check.py``
uses the same rule.

Determinism
-----------
Everything is seeded (``--seed``); XLA runs with a fixed thread count, so a rerun on this machine
writes bit-identical files (the script prints the SHA-256 of ``model.safetensors``).

Usage (from the repository root)
--------------------------------
::

    python3 -m venv scripts/train_layerskip/.venv
    scripts/train_layerskip/.venv/bin/pip install -r scripts/train_layerskip/requirements.txt
    scripts/train_layerskip/.venv/bin/python scripts/train_layerskip/train.py   # see timing below
    scripts/train_layerskip/.venv/bin/python scripts/train_layerskip/check.py   # numpy reference

``--steps``, ``--threads``, ``--out`` and the model-shape flags are listed by ``--help``.

Shape and budget
----------------
Default: 12 layers, hidden 128, 2 query heads / 1 KV head of 64, SwiGLU 384, vocab 4096, tied
head: 2.89 M parameters = 5.5 MiB in BF16 (+ ~0.26 MB tokenizer), under the 8 MB budget that
rules out the wider 256-hidden shape (≈9 M parameters ≈ 18 MB). Training: 800 steps × 4 × 256
tokens (0.82 M tokens, ~0.2 epoch), AdamW lr 3e-3 (warmup 30, cosine to 10 %), weight decay
0.05, clip 1.0. XLA on this CPU reaches ~30 GFLOP/s per core on these small matrices, so the
run is compute-bound: ~10 min on two idle cores, ~20 min when the cores are shared with
builds. The model is far from converged; more ``--steps`` (same seed) improves the text.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import struct
import sys
import time

# Thread caps must be set before numpy / jax are imported.
_THREADS = "2"
for _i, _a in enumerate(sys.argv):
    if _a == "--threads" and _i + 1 < len(sys.argv):
        _THREADS = sys.argv[_i + 1]
    elif _a.startswith("--threads="):
        _THREADS = _a.split("=", 1)[1]
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ[_v] = _THREADS
os.environ["XLA_FLAGS"] = (
    os.environ.get("XLA_FLAGS", "")
    + f" --xla_cpu_multi_thread_eigen={'true' if _THREADS != '1' else 'false'}"
    + f" intra_op_parallelism_threads={_THREADS}"
)
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
IM_START, IM_END, ENDOFTEXT = "<|im_start|>", "<|im_end|>", "<|endoftext|>"
SYSTEM_PROMPTS = [
    "You are a friendly chat partner.",
    "You are a helpful assistant.",
    "Chat casually with the user.",
    "You are a kind and curious friend.",
]
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


# ----------------------------------------------------------------------------- corpus

def load_conversations():
    """[(key, [turn text, ...])] in key order of dataset.json; empty turns dropped."""
    import chitchat_dataset

    path = os.path.join(os.path.dirname(chitchat_dataset.__file__), "dataset.json")
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = []
    for key, conv in data.items():
        turns = [" ".join(m["text"].strip() for m in turn if m["text"].strip()) for turn in conv["messages"]]
        turns = [" ".join(t.split()) for t in turns if t.strip()]
        if len(turns) >= 2:
            out.append((key, turns))
    return out


def render_chatml(turns, system=None):
    parts = []
    if system:
        parts.append(f"{IM_START}system\n{system}{IM_END}\n")
    for i, text in enumerate(turns):
        role = "user" if i % 2 == 0 else "assistant"
        parts.append(f"{IM_START}{role}\n{text}{IM_END}\n")
    return "".join(parts)


def split_corpus(convs):
    """Held out: index ≡ 0 (mod 50) in dataset.json key order (check.py uses the same rule)."""
    train = [c for i, c in enumerate(convs) if i % 50 != 0]
    held = [c for i, c in enumerate(convs) if i % 50 == 0]
    return train, held


# ----------------------------------------------------------------------------- tokenizer

def train_tokenizer(texts, vocab_size):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

    tok = Tokenizer(models.BPE(unk_token=None, fuse_unk=False, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=[ENDOFTEXT, IM_START, IM_END],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(texts, trainer=trainer, length=len(texts))
    assert tok.token_to_id(ENDOFTEXT) == 0 and tok.token_to_id(IM_START) == 1 and tok.token_to_id(IM_END) == 2
    return tok


def tokenizer_config(model_max_length):
    added = {
        str(i): {"content": t, "lstrip": False, "normalized": False, "rstrip": False,
                 "single_word": False, "special": True}
        for i, t in enumerate([ENDOFTEXT, IM_START, IM_END])
    }
    return {
        "add_bos_token": False,
        "add_eos_token": False,
        "add_prefix_space": False,
        "added_tokens_decoder": added,
        "additional_special_tokens": [IM_START, IM_END],
        "bos_token": IM_START,
        "eos_token": IM_END,
        "pad_token": ENDOFTEXT,
        "unk_token": ENDOFTEXT,
        "chat_template": CHAT_TEMPLATE,
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "tokenizer_class": "GPT2Tokenizer",
        "vocab_size": None,
    }


# ----------------------------------------------------------------------------- model (JAX)

def layer_drop_rates(n_layers, p_max):
    """p_l = s·(e^{l·ln2/(L−1)} − 1), l = 0..L−1, scaled so p_{L−1} = p_max (e^{ln2} − 1 = 1)."""
    l = np.arange(n_layers, dtype=np.float64)
    return p_max * (np.exp(l * math.log(2) / max(n_layers - 1, 1)) - 1.0)


def exit_loss_scales(n_layers, e_scale):
    """LayerSkip "sum_l" scales for exits after layers 0..L−1, normalised to sum to 1."""
    L = n_layers
    e = np.array([e_scale * sum(range(l + 1)) for l in range(L)], dtype=np.float64)
    e[L - 1] = (L - 1) + e_scale * sum(range(L - 1))
    return e / e.sum()


def init_params(key, cfg):
    import jax
    import jax.numpy as jnp

    d, f, L, V = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"], cfg["vocab_size"]
    hq = cfg["num_attention_heads"] * cfg["head_dim"]
    hk = cfg["num_key_value_heads"] * cfg["head_dim"]
    std, out_std = 0.02, 0.02 / math.sqrt(2 * L)
    keys = jax.random.split(key, 1 + 7 * L)

    def normal(k, shape, s):
        return (s * jax.random.normal(k, shape, dtype=jnp.float32))

    params = {"embed": normal(keys[0], (V, d), std), "norm": jnp.ones((d,), jnp.float32), "layers": []}
    for i in range(L):
        k = keys[1 + 7 * i: 8 + 7 * i]
        params["layers"].append({
            "ln1": jnp.ones((d,), jnp.float32),
            "q": normal(k[0], (hq, d), std),
            "k": normal(k[1], (hk, d), std),
            "v": normal(k[2], (hk, d), std),
            "o": normal(k[3], (d, hq), out_std),
            "ln2": jnp.ones((d,), jnp.float32),
            "gate": normal(k[4], (f, d), std),
            "up": normal(k[5], (f, d), std),
            "down": normal(k[6], (d, f), out_std),
        })
    # Stack layers so the forward pass is one lax.scan (one compiled layer body).
    params["layers"] = jax.tree_util.tree_map(lambda *xs: jnp.stack(xs), *params["layers"])
    return params


def make_model(cfg):
    import jax
    import jax.numpy as jnp

    L = cfg["num_hidden_layers"]
    H, KV, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    eps, theta = cfg["rms_norm_eps"], cfg["rope_theta"]

    def rmsnorm(x, w):
        return x * jax.lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + eps) * w

    def rope(x, cos, sin):  # x [B,T,h,hd]; HF rotate-half
        x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
        rot = jnp.concatenate([-x2, x1], axis=-1)
        return x * cos + rot * sin

    def layer(x, p, cos, sin, mask):
        B, T, _ = x.shape
        h = rmsnorm(x, p["ln1"])
        q = (h @ p["q"].T).reshape(B, T, H, hd)
        k = (h @ p["k"].T).reshape(B, T, KV, hd)
        v = (h @ p["v"].T).reshape(B, T, KV, hd)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        q = q.reshape(B, T, KV, H // KV, hd)  # query head j uses kv head j // (H/KV)
        s = jnp.einsum("btgrd,bsgd->bgrts", q, k) / math.sqrt(hd)
        s = jnp.where(mask, s, -1e30)
        a = jax.nn.softmax(s, axis=-1)
        o = jnp.einsum("bgrts,bsgd->btgrd", a, v).reshape(B, T, H * hd)
        x = x + o @ p["o"].T
        h = rmsnorm(x, p["ln2"])
        m = jax.nn.silu(h @ p["gate"].T) * (h @ p["up"].T)
        return x + m @ p["down"].T

    def rope_tables(T):
        inv = 1.0 / (theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd))
        ang = np.arange(T, dtype=np.float64)[:, None] * inv[None, :]
        ang = np.concatenate([ang, ang], axis=-1)
        return (jnp.asarray(np.cos(ang), jnp.float32)[None, :, None, :],
                jnp.asarray(np.sin(ang), jnp.float32)[None, :, None, :])

    def hidden_states(params, ids, keep):
        """ids [B,T] → residual stream after every layer, [L,B,T,d]. keep [L,B] in {0,1}."""
        B, T = ids.shape
        cos, sin = rope_tables(T)
        mask = jnp.tril(jnp.ones((T, T), bool))
        x = params["embed"][ids]

        def body(x, inp):
            p, kp = inp
            y = layer(x, p, cos, sin, mask)
            x = x + kp[:, None, None] * (y - x)  # a dropped layer passes its input through
            return x, x

        _, hs = jax.lax.scan(body, x, (params["layers"], keep))
        return hs

    def logits_of(params, h):
        return rmsnorm(h, params["norm"]) @ params["embed"].T

    return hidden_states, logits_of


def make_train_step(cfg, args, hidden_states, logits_of):
    import jax
    import jax.numpy as jnp

    L = cfg["num_hidden_layers"]
    scales = jnp.asarray(exit_loss_scales(L, args.e_scale), jnp.float32)

    def xent(logits, labels):
        lse = jax.nn.logsumexp(logits, axis=-1)
        tgt = jnp.take_along_axis(logits, labels[..., None], axis=-1)[..., 0]
        return jnp.mean(lse - tgt)

    def loss_fn(params, ids, labels, keep, pos):
        hs = hidden_states(params, ids, keep)                       # [L,B,T,d]
        last = xent(logits_of(params, hs[-1]), labels)
        # Early exits 0..L-2 on a random subset of positions pos [B,P].
        he = jnp.take_along_axis(hs[:-1], pos[None, :, :, None], axis=2)  # [L-1,B,P,d]
        le = jnp.take_along_axis(labels, pos, axis=1)
        early = jax.vmap(lambda h: xent(logits_of(params, h), le))(he)   # [L-1]
        loss = scales[-1] * last + jnp.sum(scales[:-1] * early)
        return loss, (last, early)

    def adamw(params, grads, m, v, step, lr):
        b1, b2, eps, wd = 0.9, 0.95, 1e-8, args.weight_decay
        gnorm = jnp.sqrt(sum(jnp.sum(g * g) for g in jax.tree_util.tree_leaves(grads)))
        clip = jnp.minimum(1.0, args.clip / (gnorm + 1e-6))
        grads = jax.tree_util.tree_map(lambda g: g * clip, grads)
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
        t = step + 1.0
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t

        def upd(p, m, v):
            decay = wd if p.ndim == 2 or p.ndim == 3 else 0.0  # matrices only, not norms
            if p.ndim == 2 and p.shape[0] == cfg["num_hidden_layers"]:
                decay = 0.0  # stacked norm weights [L,d]
            return p - lr * (m / c1 / (jnp.sqrt(v / c2) + eps) + decay * p)

        params = jax.tree_util.tree_map(upd, params, m, v)
        return params, m, v, gnorm

    @jax.jit
    def step_fn(params, m, v, step, lr, ids, labels, keep, pos):
        (loss, (last, early)), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, ids, labels, keep, pos)
        params, m, v, gnorm = adamw(params, grads, m, v, step, lr)
        return params, m, v, loss, last, early, gnorm

    return step_fn


# ----------------------------------------------------------------------------- writing

def f32_to_bf16_bits(a):
    """Round-to-nearest-even float32 → bfloat16 bit patterns (uint16)."""
    u = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


def bf16_bits_to_f32(b):
    return (b.astype(np.uint32) << 16).view(np.float32)


def write_safetensors(path, tensors):
    """tensors: {name: uint16 array of bf16 bits}. Writes the safetensors layout by hand."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        b = np.ascontiguousarray(tensors[name]).astype("<u2").tobytes()
        header[name] = {"dtype": "BF16", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    header["__metadata__"] = {"format": "pt"}
    hb = json.dumps(header, separators=(",", ":")).encode()
    hb += b" " * ((8 - len(hb) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for b in blobs:
            f.write(b)


def hf_tensors(params, cfg):
    """JAX params → {HF name: bf16 bits}."""
    p = {k: np.asarray(v) for k, v in params.items() if k != "layers"}
    layers = {k: np.asarray(v) for k, v in params["layers"].items()}
    out = {"model.embed_tokens.weight": p["embed"], "model.norm.weight": p["norm"]}
    names = {"ln1": "input_layernorm", "ln2": "post_attention_layernorm",
             "q": "self_attn.q_proj", "k": "self_attn.k_proj", "v": "self_attn.v_proj", "o": "self_attn.o_proj",
             "gate": "mlp.gate_proj", "up": "mlp.up_proj", "down": "mlp.down_proj"}
    for i in range(cfg["num_hidden_layers"]):
        for k, n in names.items():
            out[f"model.layers.{i}.{n}.weight"] = layers[k][i]
    return {k: f32_to_bf16_bits(v) for k, v in out.items()}


# ----------------------------------------------------------------------------- evaluation

def agreement_table(params_np_bf16, cfg, hidden_states, logits_of, seqs):
    """Per exit layer: top-1 agreement with the last layer, and top-1 accuracy vs next token."""
    import jax
    import jax.numpy as jnp

    L = cfg["num_hidden_layers"]
    fwd = jax.jit(lambda p, ids: jnp.argmax(
        jax.vmap(lambda h: logits_of(p, h))(hidden_states(p, ids, jnp.ones((L, ids.shape[0]), jnp.float32))), -1))
    agree = np.zeros(L)
    correct = np.zeros(L)
    n = 0
    width = max(len(s) for s in seqs) - 1
    for ids in seqs:
        ids = np.asarray(ids)
        k = len(ids) - 1
        inp = np.zeros((1, width), np.int32)  # one compiled shape; causal, so padding is harmless
        inp[0, :k] = ids[:-1]
        am = np.asarray(fwd(params_np_bf16, jnp.asarray(inp)))[:, 0, :k]  # [L,k]
        tgt = ids[1:]
        agree += (am == am[-1]).sum(-1)
        correct += (am == tgt).sum(-1)
        n += am.shape[1]
    return agree / n, correct / n, n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(REPO, "models", "tiny-layerskip"))
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", default="2")
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--ffn", type=int, default=384)
    ap.add_argument("--heads", type=int, default=2)
    ap.add_argument("--kv-heads", type=int, default=1)
    ap.add_argument("--head-dim", type=int, default=64)
    ap.add_argument("--vocab", type=int, default=4096)
    ap.add_argument("--seq", type=int, default=256)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--steps", type=int, default=800)
    ap.add_argument("--time-budget", type=float, default=0, help="stop after this many seconds of training (0: no limit; makes the run non-reproducible)")
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--clip", type=float, default=1.0)
    ap.add_argument("--p-max", type=float, default=0.2, help="layer-dropout rate of the last layer")
    ap.add_argument("--e-scale", type=float, default=1.0, help="early-exit loss scale (LayerSkip e_scale)")
    ap.add_argument("--exit-fraction", type=float, default=0.125, help="fraction of positions scored at early exits each step")
    ap.add_argument("--system-fraction", type=float, default=0.15)
    ap.add_argument("--eval-seqs", type=int, default=60)
    args = ap.parse_args()

    import jax
    import jax.numpy as jnp

    t0 = time.time()
    rng = np.random.default_rng(args.seed)
    convs = load_conversations()
    train, held = split_corpus(convs)
    texts = [render_chatml(t, SYSTEM_PROMPTS[rng.integers(len(SYSTEM_PROMPTS))]
                           if rng.random() < args.system_fraction else None) for _, t in train]
    print(f"corpus: {len(convs)} conversations ({len(train)} train, {len(held)} held out), "
          f"{sum(map(len, texts)) / 1e6:.1f} M chars", flush=True)

    tok = train_tokenizer(texts, args.vocab)
    V = tok.get_vocab_size()
    enc = tok.encode_batch(texts)
    order = rng.permutation(len(enc))
    stream = np.concatenate([np.asarray(enc[i].ids, np.int32) for i in order])
    print(f"tokenizer: {V} tokens; train stream {len(stream) / 1e6:.2f} M tokens "
          f"({sum(map(len, texts)) / len(stream):.2f} chars/token) [{time.time() - t0:.0f}s]", flush=True)

    cfg = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": args.hidden,
        "intermediate_size": args.ffn,
        "num_hidden_layers": args.layers,
        "num_attention_heads": args.heads,
        "num_key_value_heads": args.kv_heads,
        "head_dim": args.head_dim,
        "vocab_size": V,
        "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0,
        "rope_scaling": None,
        "max_position_embeddings": 2048,
        "hidden_act": "silu",
        "attention_bias": False,
        "mlp_bias": False,
        "tie_word_embeddings": True,
        "bos_token_id": tok.token_to_id(IM_START),
        "eos_token_id": tok.token_to_id(IM_END),
        "pad_token_id": tok.token_to_id(ENDOFTEXT),
        "initializer_range": 0.02,
        "torch_dtype": "bfloat16",
        "use_cache": True,
        "layerskip": {
            "recipe": "layer dropout p_l = p_max*(exp(l*ln2/(L-1))-1) + early-exit loss (sum_l scales) on shared norm/head",
            "p_max": args.p_max, "e_scale": args.e_scale, "exit_fraction": args.exit_fraction,
            "train_seq_len": args.seq, "steps": args.steps, "seed": args.seed,
        },
    }
    assert args.heads * args.head_dim > 0 and args.heads % args.kv_heads == 0
    L, B, T = args.layers, args.batch, args.seq
    hidden_states, logits_of = make_model(cfg)
    params = init_params(jax.random.PRNGKey(args.seed), cfg)
    n_params = sum(int(np.prod(x.shape)) for x in jax.tree_util.tree_leaves(params))
    print(f"model: L={L} d={args.hidden} ffn={args.ffn} heads={args.heads}/{args.kv_heads}x{args.head_dim} "
          f"vocab={V} tied: {n_params / 1e6:.2f} M params ({2 * n_params / 2**20:.2f} MiB bf16)", flush=True)
    rates = layer_drop_rates(L, args.p_max)
    scales = exit_loss_scales(L, args.e_scale)
    print("layer-dropout rates:", " ".join(f"{r:.3f}" for r in rates))
    print("exit-loss scales:   ", " ".join(f"{s:.3f}" for s in scales), flush=True)

    step_fn = make_train_step(cfg, args, hidden_states, logits_of)
    m = jax.tree_util.tree_map(jnp.zeros_like, params)
    v = jax.tree_util.tree_map(jnp.zeros_like, params)
    P = max(1, int(round(T * args.exit_fraction)))
    n_windows = (len(stream) - 1) // T
    t_train = time.time()
    log_every = 25
    acc_loss, acc_last, acc_early = 0.0, 0.0, np.zeros(L - 1)
    step = 0
    for step in range(args.steps):
        starts = rng.integers(0, len(stream) - T - 1, size=B)
        ids = np.stack([stream[s: s + T] for s in starts])
        labels = np.stack([stream[s + 1: s + T + 1] for s in starts])
        keep = (rng.random((L, B)) >= rates[:, None]).astype(np.float32)
        pos = np.sort(np.stack([rng.choice(T, P, replace=False) for _ in range(B)]), axis=1).astype(np.int32)
        if step < args.warmup:
            lr = args.lr * (step + 1) / args.warmup
        else:
            frac = (step - args.warmup) / max(1, args.steps - args.warmup)
            lr = args.lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        params, m, v, loss, last, early, gnorm = step_fn(
            params, m, v, jnp.float32(step), jnp.float32(lr), ids, labels, keep, pos)
        acc_loss += float(loss); acc_last += float(last); acc_early += np.asarray(early)
        if (step + 1) % log_every == 0 or step == 0:
            k = 1 if step == 0 else log_every
            el = acc_early / k
            print(f"step {step + 1:5d}  loss {acc_loss / k:.3f}  last {acc_last / k:.3f}  "
                  f"exit@1 {el[0]:.3f} exit@3 {el[2]:.3f} exit@6 {el[5]:.3f}  lr {lr:.2e}  "
                  f"|g| {float(gnorm):.2f}  {(time.time() - t_train):.0f}s "
                  f"({(step + 1) * B * T / (time.time() - t_train):.0f} tok/s)", flush=True)
            acc_loss, acc_last, acc_early = 0.0, 0.0, np.zeros(L - 1)
        if args.time_budget and time.time() - t_train > args.time_budget:
            print(f"time budget reached at step {step + 1}")
            break
    train_s = time.time() - t_train
    print(f"trained {step + 1} steps, {(step + 1) * B * T / 1e6:.2f} M tokens "
          f"({(step + 1) * B * T / max(1, len(stream)):.2f} epochs) in {train_s:.0f}s", flush=True)

    # ---- write the checkpoint
    os.makedirs(args.out, exist_ok=True)
    tensors = hf_tensors(params, cfg)
    st_path = os.path.join(args.out, "model.safetensors")
    write_safetensors(st_path, tensors)
    tok.save(os.path.join(args.out, "tokenizer.json"))
    with open(os.path.join(args.out, "tokenizer_config.json"), "w") as f:
        json.dump(tokenizer_config(cfg["max_position_embeddings"]), f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": cfg["bos_token_id"], "eos_token_id": cfg["eos_token_id"],
                   "pad_token_id": cfg["pad_token_id"], "do_sample": False}, f, indent=2)
        f.write("\n")

    # Sanity: read back through the safetensors library (flax framework understands bf16).
    from safetensors import safe_open
    with safe_open(st_path, framework="flax") as f:
        for name in ("model.embed_tokens.weight", f"model.layers.{L - 1}.mlp.down_proj.weight"):
            back = np.asarray(f.get_tensor(name).astype(jnp.float32))
            assert np.array_equal(back, bf16_bits_to_f32(tensors[name])), name

    # ---- evaluate the *bf16* weights on held-out chats: early-exit agreement per layer
    q = jax.tree_util.tree_map(lambda a: jnp.asarray(bf16_bits_to_f32(f32_to_bf16_bits(np.asarray(a)))), params)
    seqs = []
    for _, turns in held[: args.eval_seqs]:
        ids = tok.encode(render_chatml(turns)).ids[: T]
        if len(ids) >= 16:
            seqs.append(ids)
    agree, acc, n = agreement_table(q, cfg, hidden_states, logits_of, seqs)
    print(f"\nheld-out early-exit top-1 ({len(seqs)} chats, {n} positions, bf16 weights):")
    print(" exit layer | agree w/ last | next-token acc")
    for l in range(L):
        print(f" {l + 1:10d} | {agree[l]:13.3f} | {acc[l]:14.3f}")

    sha = hashlib.sha256(open(st_path, "rb").read()).hexdigest()
    sizes = {n: os.path.getsize(os.path.join(args.out, n)) for n in sorted(os.listdir(args.out))}
    print("\nwrote", args.out)
    for n_, s in sizes.items():
        print(f"  {n_:24s} {s:10,d} bytes")
    print(f"  model.safetensors sha256 {sha}")
    print(f"total wall time {time.time() - t0:.0f}s (training {train_s:.0f}s)")


if __name__ == "__main__":
    main()
