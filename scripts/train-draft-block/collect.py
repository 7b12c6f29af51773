#!/usr/bin/env python3
"""Collects draft-block training data in PyTorch, for several exit layers in one pass (draft block
v2; replaces the engine's `skipchat calibrate --collect`, which ran at ~3.4 reply tokens/s).

1. The model answers every training prompt itself: greedy, and every `--sampled-every`-th prompt
   once more sampled (temperature `--sampled-temperature`, top-p 0.95, seeded). By default the
   engine writes the replies (`skipchat generate`, `--jobs` one-thread processes; cached in
   DIR/replies.jsonl so that a stopped run resumes; `--generate-minutes` caps it); with
   `--generator torch` the model here (a GGUF file dequantised to fp32 with gguf-py) generates
   them in batches with a KV cache, ~23 reply tokens per CPU-second.
2. Conversations of a committed multi-style corpus (chitchat-dataset, scripts/fetch-corpus.sh) are
   rendered with the chat template; their assistant turns are teacher-forced too.
3. Every sequence (prompt + reply) is teacher-forced once through the whole model; the residual
   stream after layers [0, E) is kept for each E of `--exit-layers`, with the final layer's normed
   hidden state (the teacher: with the head it gives every logit, 576 values instead of a 49,152-
   value logit row) and its argmax over the whole vocabulary.

Writes one file per exit layer, DIR/data-E<E>.safetensors, in the format train.py reads (that of
Sources/SkipChatCalibration/DraftBlockCollector.swift): states F16, teacher BF16, teacher_argmax,
tokens, trained (1 where the next token is a reply token), sequence_starts/styles/prompts,
draft_vocab (the V most frequent reply tokens + end of turn), head rows, final_norm, layer E's
weights, RoPE inverse frequencies; metadata as the engine writes it.

Token ids come from `skipchat tokenize` (the engine's own tokenizer), so no tokenizer library is
needed. Seeded. Usage (in the venv of make-venv.sh, which adds gguf):
    collect.py --model GGUF --skipchat BIN --prompts chitchat=F code=F explain=F --out DIR
"""
import argparse
import concurrent.futures
import json
import os
import resource
import subprocess
import sys
import time

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from gguf import GGUFReader
    from gguf.quants import dequantize
    from safetensors.torch import save_file
except ImportError as missing:
    sys.exit(f"collect: {missing.name} is not installed; run scripts/train-draft-block/make-venv.sh")

SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
IM_START, IM_END, END_OF_TEXT = 1, 2, 0
MATRICES = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
NORMS = ["attn_norm", "ffn_norm"]


def fail(message):
    sys.exit(f"collect: {message}")


def field(reader, key):
    f = reader.fields.get(key)
    if f is None:
        fail(f"GGUF key {key} missing")
    value = f.parts[f.data[0]]
    return value.tobytes().decode() if f.types[0].name == "STRING" else value.item()


class Model:
    """A Llama GGUF as fp32 tensors; RoPE on adjacent pairs (GGUF's permuted Q/K), as sc_rope."""

    def __init__(self, path):
        reader = GGUFReader(path)
        self.layers = field(reader, "llama.block_count")
        self.hidden = field(reader, "llama.embedding_length")
        self.heads = field(reader, "llama.attention.head_count")
        self.kv_heads = field(reader, "llama.attention.head_count_kv")
        self.eps = float(field(reader, "llama.attention.layer_norm_rms_epsilon"))
        self.theta = float(field(reader, "llama.rope.freq_base"))
        self.head_dim = self.hidden // self.heads
        self.name = field(reader, "general.name") if "general.name" in reader.fields else os.path.basename(path)
        self.w = {}
        for t in reader.tensors:
            cols = int(t.shape[0])
            values = dequantize(t.data, t.tensor_type).reshape(-1, cols) if len(t.shape) > 1 else np.asarray(t.data)
            self.w[t.name] = torch.from_numpy(np.array(values, dtype=np.float32))
        self.embed = self.w["token_embd.weight"]
        self.head = self.w.get("output.weight", self.embed)
        self.vocab = self.embed.shape[0]
        self.ffn = self.w["blk.0.ffn_gate.weight"].shape[0]
        self.inv_freq = 1.0 / (self.theta ** (torch.arange(0, self.head_dim, 2).float() / self.head_dim))

    def layer(self, i, name):
        return self.w[f"blk.{i}.{name}.weight"]

    def rope(self, x, positions):
        """x [B, T, heads, hd], positions [B, T]: pairs (2i, 2i+1) rotated by position × inv_freq[i]."""
        angles = positions[..., None].float() * self.inv_freq          # [B, T, hd/2]
        cos, sin = angles.cos()[:, :, None, :], angles.sin()[:, :, None, :]
        a, b = x[..., 0::2], x[..., 1::2]
        return torch.stack((a * cos - b * sin, a * sin + b * cos), dim=-1).flatten(-2)

    def norm(self, x, weight):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * weight

    def forward(self, ids, positions, mask, cache=None, keep=()):
        """ids/positions [B, T]; mask [B, 1, T, S] (True = attend) over the S = cached + T keys.
        Returns (final normed states [B, T, d], {E: residual after layers [0, E)}, new cache)."""
        x = self.embed[ids]
        B, T, _ = x.shape
        kept, new_cache = {}, []
        for i in range(self.layers):
            if i in keep:
                kept[i] = x
            n = self.norm(x, self.layer(i, "attn_norm"))
            q = (n @ self.layer(i, "attn_q").T).view(B, T, self.heads, self.head_dim)
            k = (n @ self.layer(i, "attn_k").T).view(B, T, self.kv_heads, self.head_dim)
            v = (n @ self.layer(i, "attn_v").T).view(B, T, self.kv_heads, self.head_dim)
            q, k = self.rope(q, positions).transpose(1, 2), self.rope(k, positions).transpose(1, 2)
            v = v.transpose(1, 2)
            if cache is not None:
                k, v = torch.cat((cache[i][0], k), dim=2), torch.cat((cache[i][1], v), dim=2)
            new_cache.append((k, v))
            group = self.heads // self.kv_heads
            a = F.scaled_dot_product_attention(q, k.repeat_interleave(group, 1), v.repeat_interleave(group, 1), attn_mask=mask)
            x = x + a.transpose(1, 2).reshape(B, T, -1) @ self.layer(i, "attn_output").T
            n = self.norm(x, self.layer(i, "ffn_norm"))
            x = x + (F.silu(n @ self.layer(i, "ffn_gate").T) * (n @ self.layer(i, "ffn_up").T)) @ self.layer(i, "ffn_down").T
        return self.norm(x, self.w["output_norm.weight"]), kept, new_cache


def tokenize_many(skipchat, texts):
    """Token ids of each text (special-token text becomes control tokens), one `skipchat tokenize`
    call: the texts joined by <|endoftext|>, which none of them contains."""
    out = subprocess.run([skipchat, "tokenize"], input="<|endoftext|>".join(texts), capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"skipchat tokenize failed: {out.stderr.strip()}")
    ids, pieces, current = json.loads(out.stdout), [], []
    for i in ids:
        if i == END_OF_TEXT:
            pieces.append(current)
            current = []
        else:
            current.append(i)
    pieces.append(current)
    if len(pieces) != len(texts):
        fail("a text contains <|endoftext|>")
    return pieces


def chat_prompt(text):
    return f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n"


class Collected:
    """Per-position data of whole sequences: states after layers [0, E) per exit layer (F16),
    the final normed state (BF16) and its argmax over the whole vocabulary."""

    def __init__(self, exits):
        self.exits = exits
        self.sequences = []  # (tokens, trained, style, prompt, {E: states}, teacher, argmax)

    def add(self, tokens, trained, style, prompt, kept, normed, top):
        self.sequences.append((tokens, trained, style, prompt, {e: kept[e].half() for e in self.exits},
                               normed.bfloat16(), top))


def generate_and_keep(model, prompts, max_tokens, temperature, generator, batch, exits, sink, style, prompt_ids):
    """The model answers `prompts` (id lists) in batches, left-padded, with a KV cache (temperature
    0 = greedy); every fed position's states go to `sink` as the sequence prompt + reply, the
    positions a reply token follows marked trained. Returns the reply tokens made."""
    made = 0
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        width = max(len(prompts[i]) for i in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        valid = torch.zeros(len(chunk), width, dtype=torch.bool)
        for b, i in enumerate(chunk):
            p = prompts[i]
            ids[b, width - len(p):] = torch.tensor(p)
            valid[b, width - len(p):] = True
        positions = (valid.long().cumsum(1) - 1).clamp(min=0)
        mask = torch.ones(width, width, dtype=torch.bool).tril()[None, None] & valid[:, None, None, :]
        mask |= torch.eye(width, dtype=torch.bool)[None, None]      # padding rows attend to themselves
        normed, kept, cache = model.forward(ids, positions, mask, keep=set(exits))
        rows = {"normed": [normed], "kept": {e: [kept[e]] for e in exits}}
        out = [[] for _ in chunk]
        done = torch.zeros(len(chunk), dtype=torch.bool)
        next_pos = positions[:, -1] + 1
        last = normed[:, -1]
        for step in range(max_tokens):
            logits = last @ model.head.T
            if temperature > 0:
                token = torch.multinomial(torch.softmax(logits / temperature, -1), 1, generator=generator)[:, 0]
            else:
                token = logits.argmax(-1)
            for b in range(len(chunk)):
                if not done[b]:
                    out[b].append(int(token[b]))
                    done[b] = int(token[b]) == IM_END
            if bool(done.all()) or step == max_tokens - 1:
                break
            valid = torch.cat((valid, torch.ones(len(chunk), 1, dtype=torch.bool)), 1)
            normed, kept, cache = model.forward(token[:, None], next_pos[:, None], valid[:, None, None, :], cache,
                                                keep=set(exits))
            rows["normed"].append(normed)
            for e in exits:
                rows["kept"][e].append(kept[e])
            last = normed[:, -1]
            next_pos = next_pos + 1
        normed_all = torch.cat(rows["normed"], 1)
        kept_all = {e: torch.cat(rows["kept"][e], 1) for e in exits}
        top_all = (normed_all @ model.head.T).argmax(-1)
        for b, i in enumerate(chunk):
            p, reply = prompts[i], out[b]
            fed = len(p) + len(reply) - 1            # the last reply token is never fed
            sl = slice(width - len(p), width - len(p) + fed)
            trained = [0] * (len(p) - 1) + [1] * len(reply)
            sink.add(p + reply[:-1], trained, style, prompt_ids[i], {e: kept_all[e][b, sl] for e in exits},
                     normed_all[b, sl], top_all[b, sl])
            made += len(reply)
    return made


def engine_reply(skipchat, model_path, text, max_tokens, temperature, seed):
    """One reply of the engine (`skipchat generate`, one thread; greedy at temperature 0, else
    sampled with top-p 0.95 and `seed`): its token ids, ending with <|im_end|> when it ended the turn."""
    command = [skipchat, "generate", "--model", model_path, "--threads", "1", "--json", "--max-tokens", str(max_tokens),
               "--prompt", text, "--system", SYSTEM]
    command += ["--temperature", str(temperature), "--top-p", "0.95", "--seed", str(seed)] if temperature > 0 else ["--greedy"]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        fail(f"skipchat generate failed: {out.stderr.strip()}")
    done = json.loads(out.stdout.strip().splitlines()[-1])
    tokens = list(done.get("tokens", []))
    if done.get("reason") != "maxTokens" and (not tokens or tokens[-1] != IM_END):
        tokens.append(IM_END)
    return tokens


def engine_replies(skipchat, model_path, jobs, cache_path):
    """jobs: [(key, text, max_tokens, temperature, seed)] → {key: reply ids}, made `--jobs` at a
    time; replies already in `cache_path` (JSONL, one {"key", "reply"} a line) are reused and new
    ones appended, so a stopped run resumes."""
    replies = {}
    if os.path.exists(cache_path):
        with open(cache_path, encoding="utf-8") as f:
            for line in f:
                entry = json.loads(line)
                replies[entry["key"]] = entry["reply"]
    todo = [j for j in jobs if j[0] not in replies]
    if time.time() > engine_replies.deadline:
        return replies
    with open(cache_path, "a", encoding="utf-8") as cache, concurrent.futures.ThreadPoolExecutor(engine_replies.parallel) as pool:
        def reply_unless_late(*job):
            return engine_reply(skipchat, model_path, *job) if time.time() < engine_replies.deadline else None
        futures = {pool.submit(reply_unless_late, *j[1:]): j[0] for j in todo}
        for n, future in enumerate(concurrent.futures.as_completed(futures)):
            key = futures[future]
            if future.result() is None:
                continue
            replies[key] = future.result()
            cache.write(json.dumps({"key": key, "reply": replies[key]}) + "\n")
            cache.flush()
            if (n + 1) % 50 == 0:
                print(f"collect: {n + 1}/{len(todo)} engine replies", flush=True)
    return replies


engine_replies.parallel = 2
engine_replies.deadline = float("inf")


def iter_pad(items, length):
    return list(items) + [None] * (length - len(items))


def teacher_force(model, sequences, batch, exits, sink):
    """sequences: (ids, trained, style, prompt); right-padded batches of similar length."""
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i][0]))
    for start in range(0, len(order), batch):
        chunk = [sequences[i] for i in order[start:start + batch]]
        width = max(len(s[0]) for s in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        for b, s in enumerate(chunk):
            ids[b, :len(s[0])] = torch.tensor(s[0])
        positions = torch.arange(width)[None].expand(len(chunk), width)
        mask = torch.ones(width, width, dtype=torch.bool).tril()[None, None]
        normed, kept, _ = model.forward(ids, positions, mask, keep=set(exits))
        top = (normed @ model.head.T).argmax(-1)
        for b, (seq, trained, style, prompt) in enumerate(chunk):
            n = len(seq)
            sink.add(seq, trained[1:] + [0], style, prompt, {e: kept[e][b, :n] for e in exits}, normed[b, :n], top[b, :n])


def corpus_sequences(skipchat, path, count, max_len):
    """The first `count` conversations of the chitchat corpus not held out (i % 10 != 9, the rule
    of make-prompts.py), rendered as ChatML; trained = the assistant turns' tokens."""
    texts = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 10 == 9:
                continue
            messages = json.loads(line).get("messages", [])
            if len(messages) >= 2:
                texts.append(messages)
            if len(texts) >= count:
                break
    parts = []
    for messages in texts:
        parts.append(f"<|im_start|>system\n{SYSTEM}<|im_end|>\n")
        for m in messages:
            parts.append(f"<|im_start|>{m['role']}\n")
            parts.append(m["content"].replace("<|", "< |") + "<|im_end|>\n")
    ids = tokenize_many(skipchat, parts)
    sequences, k = [], 0
    for messages in texts:
        seq, trained = list(ids[k]), [0] * len(ids[k])
        k += 1
        for m in messages:
            head, body = ids[k], ids[k + 1]
            k += 2
            seq += head + body
            trained += [0] * len(head) + [1 if m["role"] == "assistant" else 0] * len(body)
        sequences.append((seq[:max_len], trained[:max_len]))
    return sequences


def main():
    parser = argparse.ArgumentParser(description="Collect draft-block training data for several exit layers (PyTorch).")
    parser.add_argument("--model", required=True)
    parser.add_argument("--skipchat", required=True, help="the skipchat binary (its tokenizer)")
    parser.add_argument("--prompts", nargs="+", required=True, help="STYLE=FILE, one prompt a line")
    parser.add_argument("--corpus", help="chitchat.jsonl of scripts/fetch-corpus.sh (teacher-forced assistant turns)")
    parser.add_argument("--corpus-conversations", type=int, default=0)
    parser.add_argument("--exit-layers", default="4,6,8,10")
    parser.add_argument("--out", required=True, help="directory for data-E<E>.safetensors")
    parser.add_argument("--reply-tokens", type=int, default=128)
    parser.add_argument("--sampled-temperature", type=float, default=0.8)
    parser.add_argument("--sampled-every", type=int, default=2)
    parser.add_argument("--draft-vocab", type=int, default=4096)
    parser.add_argument("--block-ffn", type=int, default=768)
    parser.add_argument("--generator", choices=["engine", "torch"], default="engine",
                        help="who writes the replies: the engine (`skipchat generate`, --jobs processes of one thread; "
                             "then every sequence is teacher-forced in batches) or this script's PyTorch decoder")
    parser.add_argument("--jobs", type=int, default=2, help="engine processes at a time")
    parser.add_argument("--generate-minutes", type=float, default=float("inf"),
                        help="start no engine reply after this many minutes (the prompts without one are skipped)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    started = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(args.seed)
    exits = [int(e) for e in args.exit_layers.split(",")]
    engine_replies.parallel = max(1, args.jobs)
    engine_replies.deadline = started + args.generate_minutes * 60
    model = Model(args.model)
    if any(not 1 <= e < model.layers for e in exits):
        fail(f"exit layers must be 1 … {model.layers - 1}")
    os.makedirs(args.out, exist_ok=True)

    def read_lines(spec):
        with open(spec.partition("=")[2], encoding="utf-8") as f:
            return [l.strip() for l in f if l.strip()]

    def engine_jobs(style, lines):
        """Greedy replies to every prompt, sampled ones to every `--sampled-every`-th."""
        jobs = [(f"{style}:{i}:greedy", l, args.reply_tokens, 0.0, 0) for i, l in enumerate(lines)]
        return jobs + [(f"{style}:{i}:sampled", l, args.reply_tokens, args.sampled_temperature, args.seed * 1_000_003 + i)
                       for i, l in enumerate(lines) if args.sampled_every > 0 and i % args.sampled_every == 0]

    replies_path = os.path.join(args.out, "replies.jsonl")
    styles, sink, made, t0 = [], Collected(exits), 0, time.time()
    if args.generator == "engine":
        # All styles' replies first, interleaved, so that --generate-minutes cuts every style alike.
        per_style = [engine_jobs(spec.partition("=")[0], read_lines(spec)) for spec in args.prompts]
        interleaved = [j for group in zip(*[iter_pad(p, max(map(len, per_style))) for p in per_style]) for j in group if j]
        engine_replies(args.skipchat, args.model, interleaved, replies_path)
        print(f"collect: engine replies done in {time.time() - t0:.0f} s", flush=True)
    prompt_id = 0
    with torch.inference_mode():
        for spec in args.prompts:
            style = spec.partition("=")[0]
            lines = read_lines(spec)
            styles.append(style)
            prompts = tokenize_many(args.skipchat, [chat_prompt(l) for l in lines])
            ids = list(range(prompt_id, prompt_id + len(prompts)))
            t1 = time.time()
            if args.generator == "engine":
                jobs = engine_jobs(style, lines)
                replies = engine_replies(args.skipchat, args.model, [], replies_path)
                sequences = []
                for key, *_ in jobs:
                    if key not in replies:       # not made before --generate-minutes ran out
                        continue
                    i = int(key.split(":")[1])
                    reply = replies[key]
                    sequences.append((prompts[i] + reply, [0] * len(prompts[i]) + [1] * len(reply), len(styles) - 1, ids[i]))
                    made += len(reply)
                t2 = time.time()
                teacher_force(model, sequences, args.batch, exits, sink)
                print(f"collect: {style}: {len(prompts)} prompts, {len(sequences)} replies "
                      f"({sum(len(s[0]) for s in sequences)} positions): engine {t2 - t1:.0f} s, teacher forcing "
                      f"{time.time() - t2:.0f} s", flush=True)
                prompt_id += len(prompts)
                continue
            n = generate_and_keep(model, prompts, args.reply_tokens, 0.0, generator, args.batch, exits, sink,
                                  len(styles) - 1, ids)
            picked = list(range(0, len(prompts), args.sampled_every)) if args.sampled_every > 0 else []
            if picked:
                n += generate_and_keep(model, [prompts[i] for i in picked], args.reply_tokens, args.sampled_temperature,
                                       generator, args.batch, exits, sink, len(styles) - 1, [ids[i] for i in picked])
            made += n
            print(f"collect: {style}: {len(prompts)} prompts, {n} reply tokens in {time.time() - t1:.0f} s", flush=True)
            prompt_id += len(prompts)
        if args.corpus and args.corpus_conversations > 0:
            styles.append("chitchat-corpus")
            corpus = corpus_sequences(args.skipchat, args.corpus, args.corpus_conversations, 384)
            teacher_force(model, [(s, t, len(styles) - 1, 10_000_000 + k) for k, (s, t) in enumerate(corpus)],
                          args.batch, exits, sink)
    seqs = sink.sequences
    starts = [0]
    for s in seqs:
        starts.append(starts[-1] + len(s[0]))
    all_tokens = torch.tensor([t for s in seqs for t in s[0]])
    all_trained = torch.tensor([float(t) for s in seqs for t in s[1]])
    reply_positions = int(all_trained.sum())
    elapsed = time.time() - t0
    print(f"collect: {len(seqs)} sequences, {starts[-1]} positions ({reply_positions} trained, {made} generated) in "
          f"{elapsed:.0f} s: {starts[-1] / elapsed:.0f} positions/s", flush=True)

    reply_next = all_tokens[1:][all_trained[:-1] > 0]
    counts = torch.bincount(reply_next, minlength=model.vocab)
    counts[IM_END] = counts.max() + 1
    vocab = torch.sort(torch.topk(counts, min(args.draft_vocab, model.vocab)).indices).values
    common = {
        "teacher": torch.cat([s[5] for s in seqs]), "teacher_argmax": torch.cat([s[6] for s in seqs]).float(),
        "tokens": all_tokens.float(), "trained": all_trained, "sequence_starts": torch.tensor(starts, dtype=torch.float32),
        "sequence_styles": torch.tensor([float(s[2]) for s in seqs]),
        "sequence_prompts": torch.tensor([float(s[3]) for s in seqs]),
        "draft_vocab": vocab.float(), "head": model.head[vocab].contiguous(),
        "final_norm": model.w["output_norm.weight"], "rope_inverse_frequencies": model.inv_freq,
    }
    size = os.path.getsize(args.model)
    for e in exits:
        tensors = dict(common, states=torch.cat([s[4][e] for s in seqs]))
        for name in MATRICES + NORMS:
            tensors[f"layer.{name}"] = model.layer(e, name).contiguous()
        meta = {
            "format": "skipchat.draft-block-data", "version": "1", "model_name": model.name, "model_file_size": str(size),
            "hidden_size": str(model.hidden), "layer_count": str(model.layers), "vocab_size": str(model.vocab),
            "exit_layer": str(e), "heads": str(model.heads), "kv_heads": str(model.kv_heads), "head_dim": str(model.head_dim),
            "ffn": str(args.block_ffn), "rms_norm_eps": str(model.eps), "rope_style": "adjacent", "styles": ",".join(styles),
            "replies": f"PyTorch collect.py: greedy + every {args.sampled_every} sampled at T {args.sampled_temperature}, "
                       f"{args.reply_tokens} tokens; {args.corpus_conversations} corpus conversations",
            "reply_tokens": str(reply_positions),
        }
        save_file(tensors, os.path.join(args.out, f"data-E{e}.safetensors"), metadata=meta)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"collect: wrote {len(exits)} files to {args.out}; {time.time() - started:.0f} s, peak memory {peak:.0f} MiB, "
          f"{args.threads} thread(s)", flush=True)


if __name__ == "__main__":
    main()
