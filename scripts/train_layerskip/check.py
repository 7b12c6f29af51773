#!/usr/bin/env python3
"""Independent numpy reference for a Llama checkpoint directory (default: models/tiny-layerskip).

Shares no code with train.py. It

1. reads ``config.json`` and ``model.safetensors`` by hand (8-byte header length, JSON header,
   raw little-endian data; BF16 is widened to float32 by shifting the bits up 16),
2. runs a plain float32 Llama forward pass — RMSNorm, rotate-half RoPE (HF convention), GQA,
   SwiGLU, causal attention, final norm + tied/untied LM head — returning the logits of *every*
   exit layer (residual stream after layer l → shared final norm → shared head),
3. prints per-layer early-exit top-1 agreement with the last layer on held-out chitchat
   conversations (the ones train.py never saw: index ≡ 0 mod 50 among the multi-turn
   conversations in dataset.json key order),
4. greedy-generates a reply to a ChatML prompt and prints its token ids and text, and
5. replays that generation as greedy self-speculative decoding (draft K tokens with layers
   [0, E), verify with all L layers, keep the longest agreeing prefix + the verifier's token),
   checks that the tokens are identical to plain greedy, and prints the acceptance rate — a
   reference for skipchat's ``generate --greedy --exit-layer E --depth K``.

Usage (from the repository root)::

    scripts/train_layerskip/.venv/bin/python scripts/train_layerskip/check.py \\
        [--model models/tiny-layerskip] [--prompt "hi! how are you?"] [--exit 3] [--depth 4]
"""
from __future__ import annotations

import argparse
import json
import os
import struct
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ.setdefault(_v, "2")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8: 8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        buf = raw[base + a: base + b]
        if info["dtype"] == "BF16":
            arr = (np.frombuffer(buf, "<u2").astype(np.uint32) << 16).view(np.float32)
        elif info["dtype"] == "F32":
            arr = np.frombuffer(buf, "<f4").astype(np.float32)
        elif info["dtype"] == "F16":
            arr = np.frombuffer(buf, "<f2").astype(np.float32)
        else:
            raise ValueError(f"{name}: dtype {info['dtype']} not handled")
        out[name] = arr.reshape(info["shape"])
    return out


class Llama:
    def __init__(self, directory):
        with open(os.path.join(directory, "config.json")) as f:
            self.cfg = c = json.load(f)
        self.w = read_safetensors(os.path.join(directory, "model.safetensors"))
        self.L = c["num_hidden_layers"]
        self.H = c["num_attention_heads"]
        self.KV = c.get("num_key_value_heads", self.H)
        self.hd = c.get("head_dim") or c["hidden_size"] // self.H
        self.eps = c["rms_norm_eps"]
        self.theta = c.get("rope_theta", 10000.0)
        self.head = self.w.get("lm_head.weight", self.w["model.embed_tokens.weight"])

    def rmsnorm(self, x, w):
        return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps) * w

    def rope(self, x, T):  # x [T, h, hd]; rotate-half: pairs (i, i + hd/2)
        half = self.hd // 2
        inv = 1.0 / self.theta ** (np.arange(half, dtype=np.float64) * 2 / self.hd)
        ang = np.arange(T, dtype=np.float64)[:, None] * inv[None, :]       # [T, half]
        cos = np.cos(ang).astype(np.float32)[:, None, :]
        sin = np.sin(ang).astype(np.float32)[:, None, :]
        x1, x2 = x[..., :half], x[..., half:]
        return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)

    def hidden_states(self, ids, n_layers=None):
        """ids [T] → list of residual streams [T, d] after layers 1..n_layers."""
        w, hd, T = self.w, self.hd, len(ids)
        x = w["model.embed_tokens.weight"][np.asarray(ids)]
        causal = np.triu(np.full((T, T), -np.inf, np.float32), 1)
        out = []
        for i in range(n_layers or self.L):
            p = f"model.layers.{i}."
            h = self.rmsnorm(x, w[p + "input_layernorm.weight"])
            q = (h @ w[p + "self_attn.q_proj.weight"].T).reshape(T, self.H, hd)
            k = (h @ w[p + "self_attn.k_proj.weight"].T).reshape(T, self.KV, hd)
            v = (h @ w[p + "self_attn.v_proj.weight"].T).reshape(T, self.KV, hd)
            q, k = self.rope(q, T), self.rope(k, T)
            heads = []
            for j in range(self.H):
                g = j // (self.H // self.KV)
                s = q[:, j, :] @ k[:, g, :].T / np.sqrt(hd) + causal
                s = np.exp(s - s.max(-1, keepdims=True))
                heads.append((s / s.sum(-1, keepdims=True)) @ v[:, g, :])
            x = x + np.concatenate(heads, axis=-1) @ w[p + "self_attn.o_proj.weight"].T
            h = self.rmsnorm(x, w[p + "post_attention_layernorm.weight"])
            g_ = h @ w[p + "mlp.gate_proj.weight"].T
            u = h @ w[p + "mlp.up_proj.weight"].T
            x = x + (g_ / (1 + np.exp(-g_)) * u) @ w[p + "mlp.down_proj.weight"].T
            out.append(x)
        return out

    def logits(self, h):
        return self.rmsnorm(h, self.w["model.norm.weight"]) @ self.head.T

    def next_token(self, ids, n_layers=None):
        h = self.hidden_states(ids, n_layers)[-1][-1:]
        return int(np.argmax(self.logits(h)[0]))


def held_out_chats():
    import chitchat_dataset

    with open(os.path.join(os.path.dirname(chitchat_dataset.__file__), "dataset.json"), encoding="utf-8") as f:
        data = json.load(f)
    convs = []
    for conv in data.values():
        turns = [" ".join(m["text"].strip() for m in t if m["text"].strip()) for t in conv["messages"]]
        turns = [" ".join(t.split()) for t in turns if t.strip()]
        if len(turns) >= 2:
            convs.append(turns)
    return [c for i, c in enumerate(convs) if i % 50 == 0]


def chatml(turns, generation_prompt=False):
    s = "".join(f"<|im_start|>{'user' if i % 2 == 0 else 'assistant'}\n{t}<|im_end|>\n" for i, t in enumerate(turns))
    return s + ("<|im_start|>assistant\n" if generation_prompt else "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=os.path.join(REPO, "models", "tiny-layerskip"))
    ap.add_argument("--chats", type=int, default=60, help="held-out conversations to score")
    ap.add_argument("--max-len", type=int, default=256, help="tokens per scored conversation")
    ap.add_argument("--prompt", action="append", help="user message(s); repeatable")
    ap.add_argument("--max-tokens", type=int, default=60)
    ap.add_argument("--exit", type=int, default=3, help="draft exit layer E for the self-speculative replay")
    ap.add_argument("--depth", type=int, default=4, help="draft depth K for the self-speculative replay")
    args = ap.parse_args()

    from tokenizers import Tokenizer

    m = Llama(args.model)
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    eos = m.cfg["eos_token_id"]
    L = m.L
    print(f"{args.model}: L={L} d={m.cfg['hidden_size']} ffn={m.cfg['intermediate_size']} "
          f"heads={m.H}/{m.KV}x{m.hd} vocab={m.cfg['vocab_size']} "
          f"params={sum(a.size for a in m.w.values()) / 1e6:.2f} M")

    # ---- per-layer agreement on held-out chats
    agree = np.zeros(L)
    acc = np.zeros(L)
    n = 0
    chats = held_out_chats()[: args.chats]
    for turns in chats:
        ids = tok.encode(chatml(turns)).ids[: args.max_len]
        if len(ids) < 16:
            continue
        hs = m.hidden_states(ids[:-1])
        am = np.stack([np.argmax(m.logits(h), -1) for h in hs])  # [L, T]
        agree += (am == am[-1]).sum(-1)
        acc += (am == np.asarray(ids[1:])).sum(-1)
        n += am.shape[1]
    print(f"\nheld-out early-exit top-1 ({len(chats)} chats, {n} positions):")
    print(" exit layer | agree w/ last | next-token acc")
    for l in range(L):
        print(f" {l + 1:10d} | {agree[l] / n:13.3f} | {acc[l] / n:14.3f}")

    # ---- greedy generation + self-speculative replay
    prompts = args.prompt or ["hi! how are you doing today?", "what do you like to do on the weekends?"]
    E, K = args.exit, args.depth
    total_drafted = total_accepted = 0
    for p in prompts:
        prompt_ids = tok.encode(chatml([p], generation_prompt=True)).ids
        ids = list(prompt_ids)
        while len(ids) - len(prompt_ids) < args.max_tokens:
            t = m.next_token(ids)
            ids.append(t)
            if t == eos:
                break
        reply = ids[len(prompt_ids):]
        print(f"\nprompt : {p!r}")
        print(f"reply  : {tok.decode(reply, skip_special_tokens=True)!r}")
        print(f"tokens : {reply}")

        spec = list(prompt_ids)
        drafted = accepted = rounds = 0
        while len(spec) - len(prompt_ids) < len(reply):
            draft = []
            for _ in range(K):
                t = m.next_token(spec + draft, n_layers=E)
                draft.append(t)
                if t == eos:
                    break
            hs = m.hidden_states(spec + draft)[-1][len(spec) - 1:]
            verify = np.argmax(m.logits(hs), -1)                  # verifier token at each draft slot (+ bonus)
            a = 0
            while a < len(draft) and draft[a] == verify[a]:
                a += 1
            new = draft[:a] + [int(verify[a])] if a < len(draft) or draft[-1] != eos else draft[:a]
            drafted += len(draft)
            accepted += a
            rounds += 1
            spec += new
            if eos in new:
                spec = spec[: spec.index(eos, len(prompt_ids)) + 1]
                break
        spec_reply = spec[len(prompt_ids):][: len(reply)]
        same = spec_reply == reply
        total_drafted += drafted
        total_accepted += accepted
        print(f"self-spec E={E} K={K}: {rounds} rounds, {accepted}/{drafted} drafts accepted "
              f"({accepted / max(1, drafted):.2f}), {len(reply) / max(1, rounds):.2f} tokens/round, "
              f"identical to greedy: {same}")
        if not same:
            print("MISMATCH:", spec_reply)
            sys.exit(1)
    print(f"\noverall draft acceptance at E={E}, K={K}: {total_accepted / max(1, total_drafted):.3f}")


if __name__ == "__main__":
    main()
