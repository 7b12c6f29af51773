#!/usr/bin/env python3
"""TUI performance benchmark (issue 4, item 9). Run through scripts/bench-tui.sh.

1. Generation speed: the same greedy prompt, the same settings and thread count, decoded by
   `skipchat generate --json` and by the chat (`skipchat chat`) running in a private tmux server,
   alternately, --repeats times for each setting (autoregressive and one fixed E/K). Both figures
   are DecodingStats.tokensPerSecond of the finished generation (committed tokens / decode
   seconds, prefill excluded): generate prints it in its `done` event, the chat shows it in the
   status bar once the reply is done ("%.1f tok/s"). The chat's reply is saved with /save and its
   committed token ids compared with generate's, so both did the same work. Printed: the median
   of the runs' ratios chat / generate (target >= 0.95), the ratio of the best runs, and the share
   of a core the chat's UI (main) thread used while generating. Runs are short and alternate, so
   other load on a shared machine hits both sides alike; raise --repeats when it is noisy.
2. Key-press-to-screen latency while generating: F6 / F5 (exit layer + 1 / - 1) are sent during a
   long reply and the status bar is polled until it shows the new exit layer. Polling goes through
   one tmux control-mode client (no process per poll) with a short sleep between polls (the
   poller and tmux compete with the decoder for the cores); the poll period is printed with the
   distribution (target < 50 ms). The same is measured once with the chat idle, as a baseline.
"""
import argparse
import json
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

STATUS_TPS = re.compile(r"(\d+\.\d) tok/s")
STATUS_CTX = re.compile(r"ctx (\d+)/\d+")
STATUS_EXIT = re.compile(r"E (\d+)/(\d+)")


class Tmux:
    """A private tmux server and one control-mode client that sends commands and reads replies."""

    def __init__(self, socket, env):
        self.base = ["tmux", "-L", socket, "-f", "/dev/null"]
        # A session that only keeps the server and the control client alive. The chats get
        # sessions of their own, with no client attached, so their size stays as created
        # (tmux 3.3a's server dies when window-size is manual and a control client attaches).
        subprocess.run(self.base + ["new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24", "sleep 86400"],
                       check=True, env=env)
        self.client = subprocess.Popen(self.base + ["-C", "attach-session", "-t", "keeper"], env=env,
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.command("refresh-client -f no-output")

    def command(self, line):
        """Runs one tmux command through the control client; returns its output lines."""
        token = f"sync-{time.monotonic_ns()}"
        self.client.stdin.write(f"{line}\ndisplay-message -p {token}\n".encode())
        self.client.stdin.flush()
        blocks, block = [], None
        while True:
            raw = self.client.stdout.readline()
            if not raw:
                raise RuntimeError(f"tmux control client ended during: {line}")
            text = raw.decode("utf-8", "replace").rstrip("\n")
            if block is None:
                if text.startswith("%begin"):
                    block = []
            elif text.startswith("%end") or text.startswith("%error"):
                if block == [token]:
                    break
                blocks.append((text.startswith("%error"), block))
                block = None
            else:
                block.append(text)
        failed, output = blocks[-1] if blocks else (False, [])
        if failed:
            raise RuntimeError(f"tmux: {line}: {' '.join(output)}")
        return output

    def status_line(self, target):
        """The first row of a pane (the chat's status bar)."""
        lines = self.command(f"capture-pane -p -t {target} -S 0 -E 0")
        return lines[0] if lines else ""

    def screen(self, target):
        return "\n".join(self.command(f"capture-pane -p -t {target}"))

    def close(self):
        subprocess.run(self.base + ["kill-server"], stderr=subprocess.DEVNULL)
        self.client.wait(timeout=10)


def wait_for(what, condition, timeout, interval=0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


class Chat:
    """`skipchat chat` in its own tmux session."""
    counter = 0

    def __init__(self, tmux, args, flags, scratch, max_tokens):
        Chat.counter += 1
        self.tmux, self.name = tmux, f"chat{Chat.counter}"
        self.scratch = scratch
        env = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "XDG_STATE_HOME": f"{scratch}/state",
               "XDG_CONFIG_HOME": f"{scratch}/config"}
        argv = [args.bin, "chat", "--threads", str(args.threads), "--temperature", "0",
                "--max-tokens", str(max_tokens)] + model_flags(args) + flags
        shell = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(argv) + "; sleep 600"
        tmux.command(f"new-session -d -s {self.name} -x {args.columns} -y {args.rows} {shlex.quote('unset NO_COLOR; ' + shell)}")
        wait_for("the chat to open", lambda: "type a message" in tmux.screen(self.name), 120, 0.1)

    def status(self):
        return self.tmux.status_line(self.name)

    def main_thread_cpu(self):
        """CPU seconds the chat's main thread (the UI thread: tid = pid) has used so far."""
        shell = self.tmux.command(f"display-message -p -t {self.name} '#{{pane_pid}}'")[0]
        with open(f"/proc/{shell}/task/{shell}/children") as f:
            pid = f.read().split()[0]
        with open(f"/proc/{pid}/task/{pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9

    def generating(self, status=None):
        return "●" in (status or self.status())

    def send(self, keys, literal=False):
        self.tmux.command(f"send-keys -t {self.name} {'-l ' if literal else ''}{shlex.quote(keys)}")

    def ask(self, prompt, timeout):
        """Sends a prompt and waits until the reply started."""
        self.send(prompt, literal=True)
        self.send("Enter")
        wait_for("the reply to start", self.generating, timeout, 0.005)

    def reply(self, prompt, timeout):
        """Asks, waits for the whole reply; returns tok/s and context tokens from the status bar,
        and the share of one core the UI thread used meanwhile."""
        cpu, start = self.main_thread_cpu(), time.monotonic()
        self.ask(prompt, timeout)
        status = wait_for("the reply to end", lambda: (lambda s: s if not self.generating(s) else None)(self.status()),
                          timeout, 0.05)
        ui_share = (self.main_thread_cpu() - cpu) / (time.monotonic() - start)
        return float(STATUS_TPS.search(status).group(1)), int(STATUS_CTX.search(status).group(1)), ui_share

    def saved_reply_tokens(self):
        """/save, then the committed token ids of the last reply."""
        path = f"{self.scratch}/{self.name}.json"
        self.send(f"/save {path}", literal=True)
        self.send("Enter")
        wait_for("the saved session", lambda: os.path.exists(path), 10)
        with open(path) as f:
            session = json.load(f)
        reply = [m for m in session["messages"] if m["role"] == "assistant"][-1]
        return [t["id"] for t in reply["tokens"] if t["kind"] in ("accepted", "verifier")]

    def close(self):
        self.tmux.command(f"kill-session -t {self.name}")


def model_flags(args):
    return ["--model", args.model] if args.model else []


def run_generate(args, flags):
    argv = [args.bin, "generate", "--json", "--prompt", args.prompt, "--threads", str(args.threads),
            "--temperature", "0", "--max-tokens", str(args.tokens)] + model_flags(args) + flags
    result = subprocess.run(argv, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    done = json.loads(result.stdout.strip().splitlines()[-1])
    assert done["event"] == "done", done
    stats = done["stats"]
    return done["tokens_per_second"], stats["prompt_tokens"] + stats["committed_tokens"], done["tokens"]


def bench_speed(tmux, args, scratch):
    settings = [("autoregressive", ["--autoregressive"]),
                (f"fixed E={args.exit_layer} K={args.depth}",
                 ["--exit-layer", str(args.exit_layer), "--depth", str(args.depth)])]
    results = []
    for label, flags in settings:
        gen, tui, ui, mismatches = [], [], [], 0
        for repeat in range(args.repeats):
            # Alternate the order, so a drifting machine load favours neither.
            order = ["generate", "tui"] if repeat % 2 == 0 else ["tui", "generate"]
            for which in order:
                if which == "generate":
                    tps, ctx_g, tokens = run_generate(args, flags)
                    gen.append(tps)
                else:
                    chat = Chat(tmux, args, flags, scratch, args.tokens)
                    try:
                        tps, ctx_t, ui_share = chat.reply(args.prompt, 600)
                        tui_tokens = chat.saved_reply_tokens()
                    finally:
                        chat.close()
                    tui.append(tps)
                    ui.append(ui_share)
            if tui_tokens != tokens or ctx_t != ctx_g:
                mismatches += 1
            print(f"  {label:<22} run {repeat + 1}: generate {gen[-1]:6.1f} tok/s   chat {tui[-1]:6.1f} tok/s"
                  f"   (UI thread {ui[-1] * 100:4.1f}% of a core; {len(tokens)} tokens"
                  f"{'' if tui_tokens == tokens else ', DIFFERENT OUTPUT'})", flush=True)
        results.append((label, gen, tui, ui, mismatches))
    return results


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def bench_latency(tmux, args, scratch, presses, while_generating):
    """Latencies (ms) from sending F6/F5 to the status bar showing the new exit layer."""
    chat = Chat(tmux, args, ["--exit-layer", str(args.exit_layer), "--depth", str(args.depth)], scratch, 100000)
    latencies, polls, poll_time, missed = [], 0, 0.0, 0
    try:
        if while_generating:
            chat.ask(args.long_prompt, 600)
        while len(latencies) + missed < presses:
            status = chat.status()
            if while_generating and not chat.generating(status):
                chat.ask(args.long_prompt, 600)
                continue
            layer = int(STATUS_EXIT.search(status).group(1))
            key, expected = ("F6", layer + 1) if layer == args.exit_layer else ("F5", layer - 1)
            start = time.perf_counter()
            chat.send(key)
            seen = None
            while time.perf_counter() - start < 2:
                time.sleep(args.poll_interval / 1000)
                status = chat.status()
                polls += 1
                match = STATUS_EXIT.search(status)
                if match and int(match.group(1)) == expected:
                    seen = time.perf_counter()
                    break
            poll_time += time.perf_counter() - start
            if seen is None:
                missed += 1
            elif not while_generating or chat.generating(status):
                latencies.append((seen - start) * 1000)
            time.sleep(random.uniform(0.15, 0.35))
        if while_generating:
            chat.send("Escape")
    finally:
        chat.close()
    return latencies, missed, poll_time / max(polls, 1) * 1000


def describe(latencies):
    if not latencies:
        return "no samples"
    return (f"n={len(latencies)}  min {min(latencies):.1f}  p50 {statistics.median(latencies):.1f}  "
            f"p90 {percentile(latencies, 90):.1f}  p99 {percentile(latencies, 99):.1f}  max {max(latencies):.1f}  "
            f"mean {statistics.fmean(latencies):.1f} ms;  < 50 ms: {sum(x < 50 for x in latencies)}/{len(latencies)}")


def histogram(latencies):
    edges = [5, 10, 20, 30, 50, 100, float("inf")]
    lower, rows = 0, []
    for edge in edges:
        n = sum(lower <= x < edge for x in latencies)
        label = f"{lower:>3}-{edge:<3}" if edge != float("inf") else f"{lower:>3}+   "
        rows.append(f"    {label} ms {n:4d} {'#' * n}")
        lower = edge
    return "\n".join(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True, help="the skipchat binary")
    parser.add_argument("--model", help="model file (default: skipchat's default model)")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--prompt", default="Write a short story about a robot who learns to paint.")
    parser.add_argument("--long-prompt", default="Write a long story about a dragon who learns to bake bread.")
    parser.add_argument("--tokens", type=int, default=128, help="tokens per reply in the speed runs")
    parser.add_argument("--exit-layer", type=int, default=7)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=7, help="speed runs per setting and program")
    parser.add_argument("--presses", type=int, default=60, help="key presses while generating")
    parser.add_argument("--idle-presses", type=int, default=15, help="key presses with the chat idle")
    parser.add_argument("--poll-interval", type=float, default=0.5,
                        help="ms between status-bar polls (a poll itself takes about 0.2 ms)")
    parser.add_argument("--columns", type=int, default=160)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    if not shutil.which("tmux"):
        sys.exit("bench-tui: tmux is not installed")

    scratch = tempfile.mkdtemp(prefix="skipchat-bench-tui-")
    tmux = Tmux(f"skipchat-bench-tui-{os.getpid()}", dict(os.environ, TERM="xterm-256color"))
    try:
        print(f"skipchat TUI benchmark: {args.bin}, {args.threads} threads, {args.columns}x{args.rows} terminal, "
              f"load average {os.getloadavg()[0]:.2f} at start", flush=True)
        failures = []
        if not args.skip_speed:
            print(f"\n== generation tokens/s, chat vs `skipchat generate` (greedy, {args.tokens} tokens at most, "
                  f"prompt {args.prompt!r})", flush=True)
            for label, gen, tui, ui, mismatches in bench_speed(tmux, args, scratch):
                ratio = statistics.median(t / g for t, g in zip(tui, gen))
                print(f"{label:<24} generate median {statistics.median(gen):6.1f} tok/s  "
                      f"chat median {statistics.median(tui):6.1f} tok/s  ratio {ratio:.3f} (median of the runs' ratios;"
                      f" best chat / best generate {max(tui) / max(gen):.3f}; UI thread {statistics.median(ui) * 100:.1f}%"
                      f" of a core)  {'ok' if ratio >= 0.95 else 'BELOW 0.95'}"
                      f"{f'  output differed in {mismatches} runs' if mismatches else ''}", flush=True)
                if ratio < 0.95 or mismatches:
                    failures.append(label)
        if not args.skip_latency:
            print(f"\n== key press (F6/F5) to status bar, fixed E={args.exit_layer} K={args.depth}", flush=True)
            for label, presses, generating in [("while generating", args.presses, True),
                                               ("idle (baseline)", args.idle_presses, False)]:
                if presses == 0:
                    continue
                latencies, missed, period = bench_latency(tmux, args, scratch, presses, generating)
                print(f"{label:<18} {describe(latencies)};  poll period {period:.2f} ms"
                      f"{f'; {missed} presses not shown within 2 s' if missed else ''}")
                print(histogram(latencies), flush=True)
                if generating and (missed or not latencies or percentile(latencies, 90) >= 50):
                    failures.append("latency")
        print(f"\nload average {os.getloadavg()[0]:.2f} at the end; "
              f"{'targets met' if not failures else 'targets missed: ' + ', '.join(failures)}")
        return 1 if failures else 0
    finally:
        tmux.close()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
