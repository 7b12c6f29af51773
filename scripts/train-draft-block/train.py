#!/usr/bin/env python3
"""Trains a draft block (one attention layer + a narrow SwiGLU MLP over exit layer E's residual
stream) by self-distillation and writes it into an exit-adapter sidecar that skipchat loads.

Input: the file `skipchat calibrate --collect` writes (layer-E states and the final layer's
normed states of self-distilled replies, the draft vocabulary's head rows, layer E's weights;
see Sources/SkipChatCalibration/DraftBlockCollector.swift). Loss: KL divergence from the
final layer's distribution to the block's, both over the draft vocabulary (softmax of the head
rows of `draft_vocab`), on reply positions. Reported: held-out KL and top-1 agreement with the
final layer's argmax over the whole vocabulary (what a greedy draft must match), per style.
The block is the formula of Sources/SkipChatEngine/Model/DraftBlock.swift, RoPE as the engine
applies it (sc_rope), so the engine runs exactly what is trained here.

Run it in the venv of make-venv.sh:
    scripts/train-draft-block/.venv/bin/python scripts/train-draft-block/train.py DATA --output SIDECAR
"""
import argparse
import math
import os
import resource
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from safetensors.torch import load_file, save_file
    from safetensors import safe_open
    from tqdm import tqdm
except ImportError as missing:
    sys.exit(f"train-draft-block: {missing.name} is not installed; run scripts/train-draft-block/make-venv.sh "
             "and use scripts/train-draft-block/.venv/bin/python")

MATRICES = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
NORMS = ["attn_norm", "ffn_norm"]


def fail(message):
    sys.exit(f"train-draft-block: {message}")


def rms_norm(x, weight, eps):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope(x, positions, inv_freq, adjacent):
    """x: [B, T, heads, head_dim]; sc_rope: pairs (2i, 2i+1) ('adjacent') or (i, i + head_dim/2)."""
    angles = positions[:, None].float() * inv_freq[None, :]          # [T, head_dim/2]
    cos, sin = angles.cos()[None, :, None, :], angles.sin()[None, :, None, :]
    if adjacent:
        a, b = x[..., 0::2], x[..., 1::2]
        return torch.stack((a * cos - b * sin, a * sin + b * cos), dim=-1).flatten(-2)
    half = x.shape[-1] // 2
    a, b = x[..., :half], x[..., half:]
    return torch.cat((a * cos - b * sin, a * sin + b * cos), dim=-1)


class DraftBlock(torch.nn.Module):
    def __init__(self, hidden, heads, kv_heads, head_dim, ffn, eps, inv_freq, adjacent):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim, self.eps, self.adjacent = heads, kv_heads, head_dim, eps, adjacent
        self.register_buffer("inv_freq", inv_freq)
        shapes = {"attn_q": (heads * head_dim, hidden), "attn_k": (kv_heads * head_dim, hidden),
                  "attn_v": (kv_heads * head_dim, hidden), "attn_output": (hidden, heads * head_dim),
                  "ffn_gate": (ffn, hidden), "ffn_up": (ffn, hidden), "ffn_down": (hidden, ffn)}
        self.w = torch.nn.ParameterDict({n: torch.nn.Parameter(torch.zeros(s)) for n, s in shapes.items()})
        self.norms = torch.nn.ParameterDict({n: torch.nn.Parameter(torch.ones(hidden)) for n in NORMS})

    def forward(self, x):
        """x: [B, T, hidden] layer-E states, sequences from position 0 (right-padded)."""
        B, T, _ = x.shape
        positions = torch.arange(T)
        n = rms_norm(x, self.norms["attn_norm"], self.eps)
        q = (n @ self.w["attn_q"].T).view(B, T, self.heads, self.head_dim)
        k = (n @ self.w["attn_k"].T).view(B, T, self.kv_heads, self.head_dim)
        v = (n @ self.w["attn_v"].T).view(B, T, self.kv_heads, self.head_dim)
        q, k = rope(q, positions, self.inv_freq, self.adjacent), rope(k, positions, self.inv_freq, self.adjacent)
        group = self.heads // self.kv_heads
        k, v = k.repeat_interleave(group, dim=2), v.repeat_interleave(group, dim=2)
        a = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), is_causal=True)
        x = x + a.transpose(1, 2).reshape(B, T, -1) @ self.w["attn_output"].T
        n = rms_norm(x, self.norms["ffn_norm"], self.eps)
        h = F.silu(n @ self.w["ffn_gate"].T) * (n @ self.w["ffn_up"].T)
        return x + h @ self.w["ffn_down"].T


def load(path):
    if not os.path.exists(path):
        fail(f"{path}: not found; make it with `skipchat calibrate --collect {path} --prompts STYLE=FILE ...`")
    try:
        with safe_open(path, framework="pt") as f:
            meta = f.metadata() or {}
        data = load_file(path)
    except Exception as error:  # the library's own message says what is wrong
        fail(f"{path}: not a readable safetensors file ({error})")
    if meta.get("format") != "skipchat.draft-block-data":
        fail(f"{path}: not draft-block training data (metadata format is {meta.get('format')!r})")
    needed = ["states", "teacher", "teacher_argmax", "trained", "sequence_starts", "sequence_styles", "sequence_prompts",
              "draft_vocab", "head", "final_norm", "rope_inverse_frequencies"]
    missing = [n for n in needed if n not in data]
    if missing:
        fail(f"{path}: tensors {', '.join(missing)} are missing")
    return meta, data


def merge(loaded):
    """One dataset from several `--collect` files of the same model and exit layer; the draft
    vocabulary (and its head rows) of the first file that has one."""
    meta, data = loaded[0]
    for other_meta, _ in loaded[1:]:
        for key in ("model_name", "model_file_size", "exit_layer", "hidden_size", "heads", "kv_heads", "head_dim", "rope_style"):
            if other_meta.get(key) != meta.get(key):
                fail(f"the data files disagree on {key}: {meta.get(key)!r} and {other_meta.get(key)!r}")
    styles = []
    for m, _ in loaded:
        styles += [s for s in m.get("styles", "").split(",") if s and s not in styles]
    merged = {k: torch.cat([d[k] for _, d in loaded]) for k in ("states", "teacher", "teacher_argmax", "trained")}
    starts, seq_styles, prompts, offset = [torch.zeros(1)], [], [], 0
    for i, (m, d) in enumerate(loaded):
        names = [s for s in m.get("styles", "").split(",") if s]
        starts.append(d["sequence_starts"][1:] + offset)
        seq_styles.append(torch.tensor([float(styles.index(names[int(s)])) for s in d["sequence_styles"]]))
        prompts.append(d["sequence_prompts"] + i * 10_000_000)
        offset += d["states"].shape[0]
    merged["sequence_starts"], merged["sequence_styles"] = torch.cat(starts), torch.cat(seq_styles)
    merged["sequence_prompts"] = torch.cat(prompts)
    source = next(((m, d) for m, d in loaded if d["draft_vocab"].numel() > 0), None)
    if source is None:
        fail("no data file has a draft vocabulary")
    for key in ("draft_vocab", "head", "final_norm", "rope_inverse_frequencies"):
        merged[key] = source[1][key]
    for key in data:
        if key.startswith("layer."):
            merged[key] = data[key]
    meta = dict(meta, styles=",".join(styles), replies="; ".join(m.get("replies", "") for m, _ in loaded))
    return meta, merged


def split_sequences(data, heldout_fraction, seed):
    starts = data["sequence_starts"].long().tolist()
    prompts = data["sequence_prompts"].long().tolist()
    trained = data["trained"]
    sequences = [(starts[i], starts[i + 1], prompts[i], int(data["sequence_styles"][i])) for i in range(len(prompts))
                 if trained[starts[i]:starts[i + 1]].sum() > 0]
    distinct = sorted({p for _, _, p, _ in sequences})
    if len(distinct) < 10:
        fail(f"only {len(distinct)} prompts with replies; the held-out split needs at least 10")
    rng = np.random.default_rng(seed)
    held = set(rng.choice(distinct, size=max(1, round(len(distinct) * heldout_fraction)), replace=False).tolist())
    return [s for s in sequences if s[2] not in held], [s for s in sequences if s[2] in held]


def batches(sequences, token_budget, rng=None):
    order = list(range(len(sequences)))
    if rng is not None:
        rng.shuffle(order)
    batch, longest = [], 0
    for i in order:
        length = sequences[i][1] - sequences[i][0]
        if batch and max(longest, length) * (len(batch) + 1) > token_budget:
            yield batch
            batch, longest = [], 0
        batch.append(sequences[i])
        longest = max(longest, length)
    if batch:
        yield batch


def gather(batch, data):
    T = max(e - s for s, e, _, _ in batch)
    d = data["states"].shape[1]
    x = torch.zeros(len(batch), T, d)
    teacher = torch.zeros(len(batch), T, d)
    mask = torch.zeros(len(batch), T, dtype=torch.bool)
    valid = torch.zeros(len(batch), T, dtype=torch.bool)
    target = torch.zeros(len(batch), T, dtype=torch.long)
    styles = torch.zeros(len(batch), T, dtype=torch.long)
    for b, (s, e, _, style) in enumerate(batch):
        x[b, : e - s] = data["states"][s:e]
        teacher[b, : e - s] = data["teacher"][s:e].float()
        mask[b, : e - s] = data["trained"][s:e] > 0
        valid[b, : e - s] = True
        target[b, : e - s] = data["teacher_argmax"][s:e].long()
        styles[b, : e - s] = style
    return x, teacher, mask, valid, target, styles


def step_loss(block, batch, data, head, final_norm, eps, vocab_ids, prompt_weight=0.0):
    """Mean KL over reply positions (and prompt positions weighted by `prompt_weight`); top-1
    agreement and styles of the reply positions."""
    x, teacher, mask, valid, target, styles = gather(batch, data)
    chosen = valid if prompt_weight > 0 else mask
    weight = torch.where(mask, 1.0, prompt_weight)[chosen]
    out = block(x)[chosen]
    with torch.no_grad():
        log_p = torch.log_softmax(teacher[chosen] @ head.T, dim=-1)
    log_q = torch.log_softmax(rms_norm(out, final_norm, eps) @ head.T, dim=-1)
    kl = ((log_p.exp() * (log_p - log_q)).sum(-1) * weight).sum() / weight.sum()
    reply = mask[chosen]
    agree = vocab_ids[log_q[reply].argmax(-1)] == target[mask]
    return kl, agree, styles[mask]


def evaluate(block, sequences, data, head, final_norm, eps, vocab_ids, style_names, budget):
    block.eval()
    total_kl, count, agree_by = 0.0, 0, {}
    with torch.no_grad():
        for batch in batches(sequences, budget):
            kl, agree, styles = step_loss(block, batch, data, head, final_norm, eps, vocab_ids)
            total_kl += kl.item() * agree.numel()
            count += agree.numel()
            for i, name in enumerate(style_names):
                sel = styles == i
                a, n = agree_by.get(name, (0, 0))
                agree_by[name] = (a + int(agree[sel].sum()), n + int(sel.sum()))
    block.train()
    overall = sum(a for a, _ in agree_by.values()) / max(1, count)
    return total_kl / max(1, count), overall, {k: a / n for k, (a, n) in agree_by.items() if n}


def warm_start(block, data, mode):
    """'copy': the block starts as a copy of layer E (the MLP's first `ffn` neurons); 'identity':
    the same but with zero output projections, so it starts as the identity."""
    with torch.no_grad():
        for name in NORMS:
            block.norms[name].copy_(data[f"layer.{name}"])
        for name in MATRICES:
            source, target = data[f"layer.{name}"], block.w[name]
            if mode == "identity" and name in ("attn_output", "ffn_down"):
                target.zero_()
            elif name == "ffn_down":
                target.copy_(source[:, : target.shape[1]])
            else:
                target.copy_(source[: target.shape[0]])


def write_sidecar(path, block, meta, data, agreement, positions, base_path, keep_layers):
    tensors, layers, lambdas = {}, [], []
    if base_path:
        with safe_open(base_path, framework="pt") as f:
            base_meta = f.metadata() or {}
            for key in ("model_name", "model_file_size", "hidden_size", "layer_count", "vocab_size"):
                if base_meta.get(key) != meta.get(key):
                    fail(f"{base_path}: made for {key} {base_meta.get(key)!r}, the data for {meta.get(key)!r}")
            base_lambdas = dict(p.split(":") for p in base_meta.get("lambdas", "").split(",") if ":" in p)
            for layer in [int(l) for l in base_meta.get("layers", "").split(",") if l]:
                if keep_layers is not None and layer not in keep_layers:
                    continue
                for part in ("weight", "bias"):
                    tensors[f"exit_adapter.{layer}.{part}"] = f.get_tensor(f"exit_adapter.{layer}.{part}")
                layers.append(layer)
                lambdas.append(f"{layer}:{base_lambdas.get(str(layer), '0')}")
    for name in MATRICES:
        tensors[f"draft_block.{name}.weight"] = block.w[name].detach().to(torch.bfloat16).contiguous()
    for name in NORMS:
        tensors[f"draft_block.{name}.weight"] = block.norms[name].detach().float().contiguous()
    tensors["draft_vocab"] = data["draft_vocab"].float().contiguous()
    metadata = {
        "format": "skipchat.exit-adapters", "version": "1",
        "model_name": meta["model_name"], "model_file_size": meta["model_file_size"], "hidden_size": meta["hidden_size"],
        "layer_count": meta["layer_count"], "vocab_size": meta["vocab_size"],
        "layers": ",".join(map(str, sorted(layers))), "lambdas": ",".join(lambdas), "tokens": str(positions),
        "corpus": f"self-distilled draft-block data ({meta.get('styles', '')}; {meta.get('replies', '')})",
        "draft_vocab": str(data["draft_vocab"].numel()),
        "draft_block_exit_layer": meta["exit_layer"], "draft_block_heads": meta["heads"],
        "draft_block_kv_heads": meta["kv_heads"], "draft_block_head_dim": meta["head_dim"],
        "draft_block_ffn": str(block.w["ffn_gate"].shape[0]), "draft_block_agreement": f"{agreement:.4f}",
    }
    tmp = path + ".tmp"
    save_file(tensors, tmp, metadata=metadata)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description="Train a draft block on `skipchat calibrate --collect` data.")
    parser.add_argument("data", nargs="+", help="files written by `skipchat calibrate --collect` (same model and exit layer)")
    parser.add_argument("--output", required=True, help="sidecar to write (safetensors)")
    parser.add_argument("--base-sidecar", help="keep the exit adapters of this sidecar (same model) in the output")
    parser.add_argument("--keep-adapter-layers", help="comma-separated exit layers of --base-sidecar to keep (default: all)")
    parser.add_argument("--ffn", type=int, help="MLP width (default: the data's)")
    parser.add_argument("--init", choices=["copy", "identity"], default="copy", help="warm start from layer E (default: copy)")
    parser.add_argument("--prompt-weight", type=float, default=0.25,
                        help="weight of prompt positions in the loss (the model's distribution there is a target too; 0 = replies only)")
    parser.add_argument("--epochs", type=float, default=6)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--tokens-per-step", type=int, default=4096, help="padded positions per optimiser step")
    parser.add_argument("--heldout-fraction", type=float, default=0.1, help="share of prompts held out for the report")
    parser.add_argument("--max-minutes", type=float, default=60, help="stop training after this long (the sidecar is still written)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    started = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    meta, data = merge([load(path) for path in args.data])
    eps = float(meta["rms_norm_eps"])
    head, final_norm = data["head"].float(), data["final_norm"].float()
    vocab_ids = data["draft_vocab"].long()
    style_names = [s for s in meta.get("styles", "").split(",")]
    ffn = args.ffn or int(meta["ffn"])
    block = DraftBlock(int(meta["hidden_size"]), int(meta["heads"]), int(meta["kv_heads"]), int(meta["head_dim"]), ffn, eps,
                       data["rope_inverse_frequencies"].float(), meta["rope_style"] == "adjacent")
    warm_start(block, data, args.init)
    train_seqs, held_seqs = split_sequences(data, args.heldout_fraction, args.seed)
    positions = int(sum(data["trained"][s:e].sum() for s, e, _, _ in train_seqs))
    held_positions = int(sum(data["trained"][s:e].sum() for s, e, _, _ in held_seqs))
    print(f"train-draft-block: exit layer {meta['exit_layer']}, block {meta['heads']}x{meta['head_dim']} heads "
          f"({meta['kv_heads']} KV), MLP {ffn}, draft vocabulary {vocab_ids.numel()}; {len(train_seqs)} sequences / "
          f"{positions} positions to train, {len(held_seqs)} / {held_positions} held out", flush=True)
    kl0, agree0, by0 = evaluate(block, held_seqs, data, head, final_norm, eps, vocab_ids, style_names, args.tokens_per_step)
    print(f"train-draft-block: before training ({args.init}): held-out KL {kl0:.3f}, agreement {agree0:.3f} "
          + " ".join(f"{k} {v:.3f}" for k, v in by0.items()), flush=True)

    optimizer = torch.optim.AdamW(block.parameters(), lr=args.lr, weight_decay=0.0)
    steps_per_epoch = sum(1 for _ in batches(train_seqs, args.tokens_per_step))
    total_steps = max(1, int(steps_per_epoch * args.epochs))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min(1.0, (s + 1) / 50) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / total_steps))))
    rng = np.random.default_rng(args.seed)
    step, stopped = 0, False
    bar = tqdm(total=total_steps, desc="training", unit="step", file=sys.stderr)
    while step < total_steps and not stopped:
        for batch in batches(train_seqs, args.tokens_per_step, rng):
            kl, agree, _ = step_loss(block, batch, data, head, final_norm, eps, vocab_ids, args.prompt_weight)
            optimizer.zero_grad()
            kl.backward()
            torch.nn.utils.clip_grad_norm_(block.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            step += 1
            bar.update(1)
            bar.set_postfix(kl=f"{kl.item():.3f}", agree=f"{agree.float().mean().item():.3f}")
            if step >= total_steps:
                break
            if time.time() - started > args.max_minutes * 60:
                stopped = True
                print(f"\ntrain-draft-block: --max-minutes {args.max_minutes:g} reached at step {step}/{total_steps}", flush=True)
                break
        if not stopped and step < total_steps:
            kl1, agree1, by1 = evaluate(block, held_seqs, data, head, final_norm, eps, vocab_ids, style_names, args.tokens_per_step)
            tqdm.write(f"train-draft-block: step {step}: held-out KL {kl1:.3f}, agreement {agree1:.3f} "
                       + " ".join(f"{k} {v:.3f}" for k, v in by1.items()), file=sys.stdout)
    bar.close()
    kl1, agree1, by1 = evaluate(block, held_seqs, data, head, final_norm, eps, vocab_ids, style_names, args.tokens_per_step)
    keep = None if not args.keep_adapter_layers else {int(l) for l in args.keep_adapter_layers.split(",")}
    write_sidecar(args.output, block, meta, data, agree1, positions, args.base_sidecar, keep)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"train-draft-block: held-out KL {kl1:.3f} (was {kl0:.3f}), top-1 agreement {agree1:.3f} (was {agree0:.3f}) "
          + " ".join(f"{k} {v:.3f}" for k, v in by1.items()))
    print(f"train-draft-block: wrote {args.output} ({os.path.getsize(args.output) / 1e6:.1f} MB); "
          f"{time.time() - started:.0f} s, peak memory {peak:.0f} MiB, {args.threads} threads")


if __name__ == "__main__":
    main()
