#!/usr/bin/env python3
"""Expected speedup of self-speculation over plain decoding, the auto tuner's model
(docs/auto-tuner.md; Leviathan et al. 2023 eq. 1 for tokens per round, LayerSkip §4 for the
round's cost), for the draft-block candidates of docs/draft-block.md:

    N(α, K) = (1 − α^(K+1)) / (1 − α)
    R(E, K) = K·(E·t + x_E) + E·t + (L − E)·t·c(K+1) + t_h·c_h(K+1)
    P       = L·t + t_h
    S(E, K) = N(α, K) · P / R(E, K)

Inputs: a probe file of the engine ($XDG_CACHE_HOME/skipchat/probes/*.json: layerSeconds t,
headSeconds t_h, batchGrowth c(1…9), headGrowth c_h(1…9), exitSeconds x_E), or the same numbers
given by hand (--layer-seconds … for a CPU measured elsewhere). α per candidate: NAME:E:ALPHA.
Prints S for K = 1 … 4 per candidate, and the best. No dependencies beyond python3.

    expected-speedup.py --probe FILE --layers 30 --candidates v2-1layer:10:0.45 ...
    expected-speedup.py --layers 30 --layer-seconds 4.5e-4 --head-seconds 5.3e-3 --exit-seconds 1.9e-3 \\
        --batch-growth 1,1.48,1.64,2.1,2.57 --candidates ...
"""
import argparse
import json


def growth(values, t):
    """c(t) from c(1 … n); past n extended linearly from the last two points (as MachineCosts)."""
    if t <= len(values):
        return values[t - 1]
    return values[-1] + (values[-1] - values[-2]) * (t - len(values))


def speedup(alpha, k, e, layers, t, t_h, x, c, c_h):
    tokens = (1 - alpha ** (k + 1)) / (1 - alpha) if alpha < 1 else k + 1
    round_seconds = k * (e * t + x) + e * t + (layers - e) * t * growth(c, k + 1) + t_h * growth(c_h, k + 1)
    return tokens * (layers * t + t_h) / round_seconds


def main():
    parser = argparse.ArgumentParser(description="Expected speedup S(E, K) of draft candidates (the auto tuner's model).")
    parser.add_argument("--probe", help="the engine's probe file (JSON)")
    parser.add_argument("--layers", type=int, required=True, help="L")
    parser.add_argument("--layer-seconds", type=float)
    parser.add_argument("--head-seconds", type=float)
    parser.add_argument("--exit-seconds", type=float, help="x_E: the draft block + final norm + draft head, s")
    parser.add_argument("--batch-growth", help="c(1), c(2), … comma-separated")
    parser.add_argument("--head-growth", help="c_h(1), c_h(2), … (default: the batch growth)")
    parser.add_argument("--candidates", nargs="+", required=True, help="NAME:E:ALPHA")
    parser.add_argument("--depths", type=int, default=4)
    args = parser.parse_args()
    exits = {}
    if args.probe:
        with open(args.probe, encoding="utf-8") as f:
            costs = json.load(f)["costs"]
        t, t_h, c, c_h = costs["layerSeconds"], costs["headSeconds"], costs["batchGrowth"], costs["headGrowth"]
        exits = {int(k): v for k, v in costs.get("exitSeconds", {}).items()}
    else:
        t, t_h = args.layer_seconds, args.head_seconds
        c = [float(v) for v in args.batch_growth.split(",")]
        c_h = [float(v) for v in args.head_growth.split(",")] if args.head_growth else c
    print("candidate  E  alpha  " + "  ".join(f"S(K={k})" for k in range(1, args.depths + 1)))
    best = None
    for spec in args.candidates:
        name, e, alpha = spec.split(":")
        e, alpha = int(e), float(alpha)
        x = args.exit_seconds if args.exit_seconds is not None else exits.get(e, exits.get(str(e)))
        if x is None:
            raise SystemExit(f"expected-speedup: no exit cost for E={e}: give --exit-seconds")
        row = [speedup(alpha, k, e, args.layers, t, t_h, x, c, c_h) for k in range(1, args.depths + 1)]
        print(f"{name}  {e}  {alpha:.3f}  " + "  ".join(f"{s:.3f}" for s in row))
        k = max(range(len(row)), key=row.__getitem__)
        if best is None or row[k] > best[0]:
            best = (row[k], name, k + 1)
    print(f"best: {best[1]} at K={best[2]}: {best[0]:.3f}x plain")


if __name__ == "__main__":
    main()
