import Foundation

/// Chooses exit layer E and depth K between rounds from the acceptance observed so far and the
/// costs measured on this machine (`MachineCosts`), to maximise committed tokens per second
/// (`.auto` mode). The model is written out in docs/auto-tuner.md.
///
/// Tokens per round (Leviathan et al. 2023, eq. 1; LayerSkip §4 uses the same count): with
/// per-draft acceptance α_E, a round of depth K commits (1 − α^(K+1)) / (1 − α) tokens on average.
/// Seconds per round: K·(E·t + x_E) for the drafts (layers [0, E) at one position, then the draft
/// exit x_E: draft block or exit adapter, norm, draft head), E·t for the last draft's early layers,
/// (L − E)·t·c(K+1) + t_h·c_h(K+1) for the batched verification of K + 1 positions; t is a layer's
/// time at one position, c(T) the measured cost of T batched positions relative to one, t_h the
/// head's time and c_h its growth. Plain decoding takes L·t + t_h per token.
/// α_E is estimated per exit layer from accepted/rejected drafts (Beta(1, 4) prior, mean 0.2:
/// pessimistic, so untried exit layers do not look better than plain decoding; each exit layer's
/// counts decay by 0.97 per round at that layer, so estimates follow the conversation). Only
/// `exitLayers` are considered (the layers with exit adapters or a draft block, when the model has
/// them: raw exits elsewhere are nearly never accepted). When no setting beats plain decoding the
/// tuner decodes plainly, with an exploratory depth-1 round after `exploreEvery` steps, an interval
/// that doubles after each exploration (up to `maxExploreEvery`) until drafting pays again.
struct AutoTuner {
    struct Choice: Equatable {
        var exitLayer: Int
        var depth: Int
        /// An exploration round: drafting is expected to lose, it runs to measure acceptance.
        var exploring = false
    }

    let layerCount: Int
    let costs: MachineCosts
    /// Exit layers the tuner may choose, ascending.
    let exitLayers: [Int]
    private var successes: [Double]
    private var failures: [Double]
    private var plainSteps = 0
    private var exploreInterval = exploreEvery
    private(set) var lastDecision = TunerState.Decision.plain
    static let exploreEvery = 12
    static let maxExploreEvery = 96
    static let maxDepth = 8

    /// - Parameters:
    ///   - costs: what layers, head, batches and draft exits cost here.
    ///   - exitLayers: candidate exit layers in 1 ..< layerCount (nil or empty: all of them).
    init(layerCount: Int, costs: MachineCosts, exitLayers: [Int]? = nil) {
        self.layerCount = layerCount
        self.costs = costs
        let valid = (exitLayers ?? []).filter { $0 >= 1 && $0 < layerCount }
        self.exitLayers = valid.isEmpty ? Array(1..<max(2, layerCount)) : Set(valid).sorted()
        successes = Array(repeating: 0, count: layerCount)
        failures = Array(repeating: 0, count: layerCount)
    }

    /// Estimated per-draft acceptance at exit layer e (1 … L−1).
    func acceptance(_ e: Int) -> Double { (successes[e] + 1) / (successes[e] + failures[e] + 5) }

    /// Expected speedup over plain decoding of drafting at e with depth k, at the estimated acceptance.
    func expectedSpeedup(exitLayer e: Int, depth k: Int) -> Double {
        costs.expectedSpeedup(layerCount: layerCount, exitLayer: e, depth: k, acceptance: acceptance(e))
    }

    /// The best (E, K) under the model and its expected speedup (nil without candidates).
    func best() -> (Choice, Double)? {
        var best: (Choice, Double)?
        for e in exitLayers {
            for k in 1...Self.maxDepth {
                let s = expectedSpeedup(exitLayer: e, depth: k)
                if best == nil || s > best!.1 { best = (Choice(exitLayer: e, depth: k), s) }
            }
        }
        return best
    }

    /// The setting of the next round, or nil when plain decoding is expected to be faster (an
    /// exploration round then and again, marked `exploring`).
    mutating func choose() -> Choice? {
        guard let (choice, speedup) = best() else { return nil }
        if speedup > 1 {
            exploreInterval = Self.exploreEvery
            lastDecision = .drafting
            return choice
        }
        plainSteps += 1
        guard plainSteps >= exploreInterval else {
            lastDecision = .plain
            return nil
        }
        plainSteps = 0
        exploreInterval = min(exploreInterval * 2, Self.maxExploreEvery)
        lastDecision = .exploring
        return Choice(exitLayer: choice.exitLayer, depth: 1, exploring: true)
    }

    /// Records a round: `accepted` of `drafted` drafts at exit layer e were accepted.
    mutating func record(exitLayer e: Int, drafted: Int, accepted: Int) {
        guard e >= 1 && e < layerCount else { return }
        successes[e] = successes[e] * 0.97 + Double(accepted)
        failures[e] *= 0.97
        if accepted < drafted { failures[e] += 1 }
    }

    /// What the tuner knows and decided, for display.
    func state() -> TunerState {
        let rows = exitLayers.map { e in
            TunerState.Row(exitLayer: e, acceptance: acceptance(e),
                           speedups: (1...Self.maxDepth).map { expectedSpeedup(exitLayer: e, depth: $0) })
        }
        let (choice, speedup) = best() ?? (Choice(exitLayer: exitLayers.first ?? 1, depth: 1), 0)
        return TunerState(decision: lastDecision, exitLayer: choice.exitLayer, depth: choice.depth,
                          expectedSpeedup: speedup, rows: rows,
                          batchGrowth: costs.batchGrowth, stepSeconds: Double(layerCount) * costs.layerSeconds + costs.headSeconds,
                          measured: costs.probeSeconds > 0)
    }
}
