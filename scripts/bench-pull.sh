#!/usr/bin/env bash
# Pull speed against curl: a MB-megabyte file from the loopback Hub (Tests/HubTests/Fixtures/hub_server.py),
# fetched by `curl -L` to a file, by `curl -L` followed by `openssl dgst -sha256` of the file (the
# same work as skipchat's: the bytes and their hash) and by `skipchat pull` into a fresh Hugging
# Face cache, interleaved, RUNS times each; then a pull of the cached file (start-up + API call +
# HEAD, no transfer). Prints the machine, the load average before and after, each run's wall and
# CPU seconds, the medians and skipchat's speed as a fraction of curl's (the issue's target:
# >= 0.80) and of curl + sha256's.
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

cpu_model="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "machine: $cpu_model, $(nproc) cores; $(curl --version | head -1 | cut -d' ' -f1-2); skipchat: $bin"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $mb MB of random bytes; curl = curl -sfL -o FILE (follows the Hub's 302 to /cdn); +sha = the same, then"
echo "openssl dgst -sha256 FILE; pull = skipchat pull --quiet (API call, HEAD, 302, transfer with sha256 on a second"
echo "thread, check, rename into a fresh HF cache); cached = skipchat pull again (start-up, API call, HEAD)."
echo "Seconds of wall time (CPU seconds = user + sys of the process and its threads/children)."

now() { date +%s.%N; }
# Runs a command; prints "WALL CPU" (seconds; CPU from /usr/bin/time's user + sys).
timed() {
    local t0 t1
    t0=$(now)
    /usr/bin/time -f '%U %S' -o "$work/cpu" "$@" >/dev/null
    t1=$(now)
    echo "$(echo "$t1 - $t0" | bc -l) $(awk '{print $1 + $2}' "$work/cpu")"
}
curl_times=(); pull_times=(); curl_cpu=(); pull_cpu=(); cached_times=(); hashed_times=()
for i in $(seq "$runs"); do
    rm -f "$work/curl.out"
    read -r wall cpu < <(timed curl -sfL -o "$work/curl.out" "$url")
    curl_times+=("$wall"); curl_cpu+=("$cpu")
    rm -f "$work/curl.out"
    read -r wall _ < <(timed bash -c 'curl -sfL -o "$1" "$2" && openssl dgst -sha256 "$1"' _ "$work/curl.out" "$url")
    hashed_times+=("$wall")
    rm -rf "$work/hf"
    read -r wall cpu < <(HF_HOME="$work/hf" HF_ENDPOINT="http://127.0.0.1:$port" timed "$bin" pull --quiet bench/pull-GGUF)
    pull_times+=("$wall"); pull_cpu+=("$cpu")
    read -r wall _ < <(HF_HOME="$work/hf" HF_ENDPOINT="http://127.0.0.1:$port" timed "$bin" pull --quiet bench/pull-GGUF)
    cached_times+=("$wall")
    printf 'run %d: curl %.3f s (CPU %.2f s), +sha %.3f s, pull %.3f s (CPU %.2f s), cached %.3f s\n' \
        "$i" "${curl_times[-1]}" "${curl_cpu[-1]}" "${hashed_times[-1]}" "${pull_times[-1]}" "${pull_cpu[-1]}" "${cached_times[-1]}"
done
cmp -s "$work/curl.out" "$(find "$work/hf" -name pull-Q8_0.gguf | head -1)" || { echo "skipchat's file differs from curl's" >&2; exit 1; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mc=$(median "${curl_times[@]}"); mp=$(median "${pull_times[@]}"); mk=$(median "${cached_times[@]}"); mh=$(median "${hashed_times[@]}")
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'median of %d: curl %.3f s (%.0f MB/s, CPU %.2f s), skipchat pull %.3f s (%.0f MB/s, CPU %.2f s, sha256 checked): %.2f of curl'"'"'s speed (target >= 0.80)\n' \
    "$runs" "$mc" "$(echo "$mb / $mc" | bc -l)" "$(median "${curl_cpu[@]}")" "$mp" "$(echo "$mb / $mp" | bc -l)" "$(median "${pull_cpu[@]}")" "$(echo "$mc / $mp" | bc -l)"
printf 'same work: curl + openssl sha256 %.3f s (median): skipchat pull at %.2f of its speed\n' "$mh" "$(echo "$mh / $mp" | bc -l)"
printf 'cached pull (start-up, API call, HEAD; no transfer): median %.3f s\n' "$mk"
