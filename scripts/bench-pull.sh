#!/usr/bin/env bash
# Pull speed against curl: a 100 MB file from the loopback Hub (Tests/HubTests/Fixtures/hub_server.py),
# fetched by `curl -L` and by `skipchat pull` (a fresh cache each time), interleaved, RUNS times
# each; prints each run's seconds, the medians and skipchat's speed as a fraction of curl's.
# Usage: scripts/bench-pull.sh [SKIPCHAT_BIN] [MB] [RUNS]   (default .build/release/skipchat 100 3)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$here/.build/release/skipchat}"
mb="${2:-100}"
runs="${3:-3}"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/root/bench/pull-GGUF"
head -c $((mb * 1000000)) /dev/urandom > "$work/root/bench/pull-GGUF/pull-Q8_0.gguf"
python3 "$here/Tests/HubTests/Fixtures/hub_server.py" --root "$work/root" > "$work/port" &
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port="$(head -1 "$work/port")"
url="http://127.0.0.1:$port/bench/pull-GGUF/resolve/main/pull-Q8_0.gguf"
curl -sfL -o /dev/null "$url"   # the server hashes the file on first resolve: keep that out of the timings

now() { date +%s.%N; }
curl_times=(); pull_times=()
for i in $(seq "$runs"); do
    rm -f "$work/curl.out"
    t0=$(now); curl -sfL -o "$work/curl.out" "$url"; t1=$(now)
    curl_times+=("$(echo "$t1 - $t0" | bc -l)")
    rm -rf "$work/hf"
    t0=$(now); HF_HOME="$work/hf" HF_ENDPOINT="http://127.0.0.1:$port" "$bin" pull --quiet bench/pull-GGUF >/dev/null; t1=$(now)
    pull_times+=("$(echo "$t1 - $t0" | bc -l)")
    printf 'run %d: curl %.3f s, skipchat pull %.3f s\n' "$i" "${curl_times[-1]}" "${pull_times[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mc=$(median "${curl_times[@]}"); mp=$(median "${pull_times[@]}")
printf 'median of %d: curl %.3f s (%.0f MB/s), skipchat pull %.3f s (%.0f MB/s, sha256 checked): %.2f of curl'"'"'s speed\n' \
    "$runs" "$mc" "$(echo "$mb / $mc" | bc -l)" "$mp" "$(echo "$mb / $mp" | bc -l)" "$(echo "$mc / $mp" | bc -l)"
