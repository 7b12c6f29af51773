#!/usr/bin/env python3
"""Side-by-side decode/prefill benchmark: skipchat vs llama.cpp (llama-cpp-python).

Run through scripts/bench-llamacpp.sh, which sets up .venv-bench/ and builds skipchat.

For every prompt (the same greedy chat prompts skipchat's `bench sweep` uses) it runs, in this
order, in one process run:
  1. skipchat autoregressive   (`skipchat generate --json --autoregressive`)
  2. llama.cpp autoregressive  (same GGUF, same threads, the prompt rendered from the GGUF's own
                                tokenizer.chat_template with jinja2 as HF does,
                                the same number of generated tokens as skipchat committed)
  3. skipchat self-speculative (every setting of --spec, best one reported)
and repeats the whole cycle --rounds times, keeping the best (least disturbed) round of each
figure, since the machine may be shared.

Synthetic GGUFs (`skipchat bench synthetic-gguf`, random weights) work the same way: their
prompts are arbitrary text through a made-up vocabulary, and their control tokens' output rows are
zero, so greedy decoding never produces EOS and every run generates exactly --tokens tokens.
Acceptance is meaningless on random weights; the speculative rows then measure drafting overhead.

llama.cpp's decode figure is its own timer (llama_perf_context eval), which excludes Python
overhead; its prefill figure is the wall clock around the prompt's llama_decode (its prompt-eval
timer also counts the idle time before the first decode after a reset). The decode loop samples greedily in Python (argmax), one token per
llama_decode, as `llama-cli` does. skipchat figures come from its `done` event: decode tok/s =
committed tokens / decode seconds, prefill tok/s = prompt tokens / prefill seconds.
"""
import argparse
import json
import os
import subprocess
import sys
import time

PROMPTS = [
    "What is the capital of France?",
    "Write a short poem about the sea.",
    "Explain in two sentences why the sky is blue.",
    "Give me three tips for learning to cook.",
]
DEFAULT_MODEL = os.path.expanduser("~/.cache/skipchat/models/SmolLM2-135M-Instruct.Q4_1.gguf")


def render_chat(template, user, bos_token, eos_token):
    """The prompt for one user message, rendered from the model's own Jinja chat template as HF
    apply_chat_template does (jinja2 sandbox, trim_blocks, lstrip_blocks, add_generation_prompt)."""
    import datetime
    import jinja2.sandbox

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    env = jinja2.sandbox.ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: datetime.datetime.now().strftime(fmt)
    return env.from_string(template).render(messages=[{"role": "user", "content": user}], add_generation_prompt=True,
                                            bos_token=bos_token, eos_token=eos_token)


def skipchat_run(binary, model, threads, prompt, max_tokens, extra):
    cmd = [binary, "generate", "--json", "--model", model, "--threads", str(threads),
           "--greedy", "--max-tokens", str(max_tokens), "--color", "never", "--prompt", prompt] + extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    done = None
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("{"):
            ev = json.loads(line)
            if ev.get("event") == "done":
                done = ev
    if done is None:
        raise RuntimeError("skipchat printed no done event: " + " ".join(cmd))
    st = done["stats"]
    return {
        "tokens": st["committed_tokens"],
        "decode_s": st["decode_seconds"],
        "prompt_tokens": st["prompt_tokens"],
        "prefill_s": st["prefill_seconds"],
        "acceptance": done.get("acceptance_rate", 0.0),
        "ids": done.get("tokens", []),
    }


class LlamaCpp:
    def __init__(self, model, threads, n_ctx):
        import llama_cpp
        self.lc = llama_cpp
        self.llm = llama_cpp.Llama(model_path=model, n_threads=threads, n_threads_batch=threads,
                                   n_ctx=n_ctx, n_batch=512, logits_all=False, verbose=False,
                                   no_perf=False)   # keep llama.cpp's own timers on
        self.n_vocab = self.llm.n_vocab()
        self.layers = int(self.llm.metadata.get("llama.block_count") or self.llm.metadata.get(
            self.llm.metadata.get("general.architecture", "llama") + ".block_count", "30"))
        self.synthetic = self.llm.metadata.get("general.basename") == "synthetic"
        self.template = self.llm.metadata.get("tokenizer.chat_template")
        if not self.template:
            sys.exit(f"{model}: no tokenizer.chat_template in the GGUF, so there is no chat prompt to compare")
        self.bos_text = self.llm.detokenize([self.llm.token_bos()], special=True).decode("utf-8", "replace")
        self.eos_text = self.llm.detokenize([self.llm.token_eos()], special=True).decode("utf-8", "replace")

    def run(self, prompt, n_tokens):
        import numpy as np
        lc, llm = self.lc, self.llm
        text = render_chat(self.template, prompt, self.bos_text, self.eos_text)
        # A template that writes BOS itself (Llama 2/3) gets no second one, as in skipchat.
        toks = llm.tokenize(text.encode(), add_bos=False, special=True)
        llm.reset()
        lc.llama_perf_context_reset(llm.ctx)
        t0 = time.perf_counter()
        llm.eval(toks)
        t1 = time.perf_counter()
        ids = []
        for _ in range(n_tokens):
            logits = np.ctypeslib.as_array(lc.llama_get_logits_ith(llm.ctx, -1), shape=(self.n_vocab,))
            tok = int(np.argmax(logits))
            ids.append(tok)
            llm.eval([tok])
        t2 = time.perf_counter()
        p = lc.llama_perf_context(llm.ctx)
        # The last eval computes a token that is never used; like skipchat's count of committed
        # tokens, n_tokens decode steps were timed.
        return {
            "prompt_tokens": len(toks),
            # Wall clock, not llama.cpp's prompt-eval timer: after an idle spell (here, while the
            # skipchat runs go), that timer also counts the idle time (3.4 s after a 3 s sleep).
            "prefill_s": t1 - t0,
            "tokens": n_tokens,
            "decode_s": p.t_eval_ms / 1000.0 if p.t_eval_ms > 0 else t2 - t1,
            "decode_wall_s": t2 - t1,
            "ids": ids,
        }


def long_prompt(words):
    """A user message of `words` words drawn with a fixed seed from a small English word list
    (about 1.3 tokens a word with the default model's tokenizer)."""
    import random
    vocabulary = ("time year people way day man thing woman life child world school state family student group "
                  "country problem hand part place case week company system program question work government number "
                  "night point home water room mother area money story fact month lot right study book eye job word "
                  "business issue side kind head house service friend father power hour game line end member law car "
                  "city community name president team minute idea kid body information back parent face others level "
                  "office door health person art war history party result change morning reason research girl guy "
                  "moment air teacher force education").split()
    rng = random.Random(22)
    return "Summarise these words: " + " ".join(rng.choice(vocabulary) for _ in range(words))


def peak_rss_mb():
    """Peak resident memory of this process (Python, numpy and llama.cpp with its KV cache), MB.
    skipchat's is not taken from RUSAGE_CHILDREN: a forked child inherits this process's
    high-water mark; `skipchat bench context` reports skipchat's RSS per length instead."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def agg(runs):
    tok = sum(r["tokens"] for r in runs)
    dec = sum(r["decode_s"] for r in runs)
    ptok = sum(r["prompt_tokens"] for r in runs)
    pre = sum(r["prefill_s"] for r in runs)
    wall = sum(r.get("decode_wall_s", r["decode_s"]) for r in runs)
    return {"decode_tps": tok / dec if dec else 0.0, "prefill_tps": ptok / pre if pre else 0.0,
            "decode_wall_tps": tok / wall if wall else 0.0,
            "tokens": tok, "prompt_tokens": ptok}


def load():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--skipchat", required=True)
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--tokens", type=int, default=128, help="tokens generated per prompt")
    ap.add_argument("--prompts", type=int, default=len(PROMPTS), help="how many built-in prompts")
    ap.add_argument("--rounds", type=int, default=2, help="repeat the cycle, keep the best")
    ap.add_argument("--spec", action="append", default=None,
                    help="skipchat speculative flags, e.g. --spec='--exit-layer 15 --depth 4' "
                         "(repeatable; default: --auto and a grid at L/4, L/2, 3L/4 of the model's L layers)")
    ap.add_argument("--skip-speculative", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--long-prompt", type=int, default=0, metavar="WORDS",
                    help="instead of the built-in prompts, one prompt of WORDS pseudo-random English words (a long "
                         "context: prefill and decode are then measured at that context; llama.cpp's peak RSS is printed)")
    a = ap.parse_args()

    prompts = [long_prompt(a.long_prompt)] if a.long_prompt else PROMPTS[: a.prompts]
    print(f"model {a.model}\nthreads {a.threads}, {a.tokens} tokens per prompt, {len(prompts)} prompts, "
          f"{a.rounds} rounds, load average {load():.2f}", file=sys.stderr)
    llama = LlamaCpp(a.model, a.threads, n_ctx=8192 if a.long_prompt else 1024)
    quarter, half, three = max(1, llama.layers // 4), max(1, llama.layers // 2), max(1, 3 * llama.layers // 4)
    specs = [] if a.skip_speculative else (a.spec or [
        "--auto", f"--exit-layer {quarter} --depth 2", f"--exit-layer {half} --depth 2", f"--exit-layer {half} --depth 4",
        f"--exit-layer {three} --depth 4", "--dynamic 0.8",
    ])
    if llama.synthetic:
        print("synthetic model (random weights): no EOS is ever generated, so every run makes "
              f"{a.tokens} tokens; acceptance means nothing", file=sys.stderr)
    import llama_cpp
    print(f"llama-cpp-python {llama_cpp.__version__}; system info: "
          f"{llama_cpp.llama_print_system_info().decode().strip()}", file=sys.stderr)

    best = {}

    def keep(name, runs):
        s = agg(runs)
        old = best.get(name)
        if old is None or s["decode_tps"] > old["decode_tps"]:
            best[name] = s
        else:
            old["prefill_tps"] = max(old["prefill_tps"], s["prefill_tps"])

    # Warm-up: page the model in for both.
    skipchat_run(a.skipchat, a.model, a.threads, prompts[0], 8, ["--autoregressive"])
    llama.run(prompts[0], 8)
    agreement = None
    for rnd in range(a.rounds):
        sk = [skipchat_run(a.skipchat, a.model, a.threads, p, a.tokens, ["--autoregressive"]) for p in prompts]
        ll = [llama.run(p, r["tokens"]) for p, r in zip(prompts, sk)]
        keep("skipchat_ar", sk)
        keep("llamacpp_ar", ll)
        if agreement is None:
            same = tot = 0
            for s, l in zip(sk, ll):
                tot += len(s["ids"])
                for x, y in zip(s["ids"], l["ids"]):
                    if x != y:
                        break
                    same += 1
            agreement = (same, tot, [(s["prompt_tokens"], l["prompt_tokens"]) for s, l in zip(sk, ll)])
        for spec in specs:
            runs = [skipchat_run(a.skipchat, a.model, a.threads, p, a.tokens, spec.split()) for p in prompts]
            keep("spec " + spec, runs)
            best["spec " + spec]["acceptance"] = sum(r["acceptance"] for r in runs) / len(runs)
        print(f"round {rnd + 1}/{a.rounds} done, load average {load():.2f}", file=sys.stderr)

    base = best["llamacpp_ar"]["decode_tps"]
    rows = [("llama.cpp autoregressive", best["llamacpp_ar"]), ("skipchat autoregressive", best["skipchat_ar"])]
    spec_rows = sorted(((k[5:], v) for k, v in best.items() if k.startswith("spec ")),
                       key=lambda kv: -kv[1]["decode_tps"])
    if a.long_prompt:
        print(f"\npeak RSS of the llama.cpp process (Python included): {peak_rss_mb():.0f} MB")
    print(f"\nprompt tokens (skipchat, llama.cpp) per prompt: {agreement[2]}")
    print(f"greedy outputs agree on the first {agreement[0]} of {agreement[1]} tokens (prefix per prompt)")
    print(f"\n{'':44} {'decode tok/s':>12} {'× llama.cpp':>11} {'prefill tok/s':>13} {'× llama.cpp':>11}")
    for name, s in rows + [("skipchat speculative " + k, v) for k, v in spec_rows]:
        print(f"{name:44} {s['decode_tps']:12.1f} {s['decode_tps'] / base:11.2f} {s['prefill_tps']:13.1f} "
              f"{s['prefill_tps'] / best['llamacpp_ar']['prefill_tps']:11.2f}"
              + (f"   acceptance {s['acceptance']:.2f}" if "acceptance" in s else ""))
    summary = {
        "threads": a.threads, "tokens_per_prompt": a.tokens, "prompts": len(prompts),
        "llamacpp_ar_decode_tps": base, "llamacpp_prefill_tps": best["llamacpp_ar"]["prefill_tps"],
        "skipchat_ar_decode_tps": best["skipchat_ar"]["decode_tps"],
        "skipchat_prefill_tps": best["skipchat_ar"]["prefill_tps"],
        "ratio_ar": best["skipchat_ar"]["decode_tps"] / base,
        "ratio_prefill": best["skipchat_ar"]["prefill_tps"] / best["llamacpp_ar"]["prefill_tps"],
    }
    if spec_rows:
        summary.update({"skipchat_spec_best": spec_rows[0][0], "skipchat_spec_decode_tps": spec_rows[0][1]["decode_tps"],
                        "ratio_spec": spec_rows[0][1]["decode_tps"] / base})
    print(f"(llama.cpp decode by wall clock around llama_decode + argmax in Python: "
          f"{best['llamacpp_ar']['decode_wall_tps']:.1f} tok/s)")
    print(f"\nskipchat AR / llama.cpp AR = {summary['ratio_ar']:.2f} (target ≥ 1.0)")
    if spec_rows:
        print(f"skipchat speculative best ({spec_rows[0][0]}) / llama.cpp AR = {summary['ratio_spec']:.2f} (target ≥ 1.5)")
    print(f"skipchat prefill / llama.cpp prefill = {summary['ratio_prefill']:.2f}")
    print(f"load average at the end {load():.2f}")
    if a.json:
        print(json.dumps(summary))


if __name__ == "__main__":
    main()
