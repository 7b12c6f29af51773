import Foundation

/// Chooses exit layer E and depth K between rounds from the acceptance observed so far, to
/// maximise committed tokens per unit of work (`.auto` mode).
///
/// Model (Leviathan et al. 2023 §3.4, with LayerSkip's cost structure): with per-draft acceptance
/// α_E, a round of depth K commits (1 − α^(K+1)) / (1 − α) tokens on average and costs, in
/// layer-evaluation units, K·(E + h_d) for the drafts, E for the last draft's early layers and
/// (L − E + h)·(1 + β·K) for the batched verification, where h is the LM head's cost in layers,
/// h_d a draft exit's (reduced head and exit adapter, when there are, plus the draft block's
/// weights at the block's exit layer) and β the extra cost of
/// each additional verified position (0.15: deliberately optimistic — timed per machine it came
/// out at ~0.3 on the compute-bound default model, and the tuner then drafted less and ran no
/// faster in the sweeps). Plain decoding costs L + h per token.
/// α_E is estimated per exit layer from accepted/rejected drafts (Beta(1, 4) prior, mean 0.2:
/// pessimistic, so untried exit layers do not look better than plain decoding; each exit layer's
/// counts decay by 0.97 per round at that layer, so estimates follow the conversation). Only
/// `exitLayers` are considered (the layers with exit adapters or a draft block, when the model has them: raw
/// exits elsewhere are nearly never accepted). When no setting beats plain decoding the tuner
/// decodes plainly, with an exploratory depth-1 round after `exploreEvery` steps, an interval
/// that doubles after each exploration (up to `maxExploreEvery`) until drafting pays again.
struct AutoTuner {
    struct Choice: Equatable {
        var exitLayer: Int
        var depth: Int
    }

    let layerCount: Int
    let headCost: Double
    let draftHeadCost: Double
    /// Extra draft cost at some exit layers (the draft block's), in layers.
    let extraDraftCost: [Int: Double]
    /// Exit layers the tuner may choose, ascending.
    let exitLayers: [Int]
    /// Relative cost of each extra position in a batched verification.
    let verifyGrowth = 0.15
    private var successes: [Double]
    private var failures: [Double]
    private var plainSteps = 0
    private var exploreInterval = exploreEvery
    static let exploreEvery = 12
    static let maxExploreEvery = 96
    static let maxDepth = 8

    /// - Parameters:
    ///   - headCostInLayers: cost of the full LM head, in layers.
    ///   - draftHeadCostInLayers: cost of a draft exit (adapter + draft head), in layers.
    ///   - exitLayers: candidate exit layers in 1 ..< layerCount (nil or empty: all of them).
    ///   - extraDraftCost: exit layer → added cost of each draft there, in layers (a draft block).
    init(layerCount: Int, headCostInLayers: Double, draftHeadCostInLayers: Double, exitLayers: [Int]? = nil,
         extraDraftCost: [Int: Double] = [:]) {
        self.layerCount = layerCount
        headCost = headCostInLayers
        draftHeadCost = draftHeadCostInLayers
        self.extraDraftCost = extraDraftCost
        let valid = (exitLayers ?? []).filter { $0 >= 1 && $0 < layerCount }
        self.exitLayers = valid.isEmpty ? Array(1..<max(2, layerCount)) : Set(valid).sorted()
        successes = Array(repeating: 0, count: layerCount)
        failures = Array(repeating: 0, count: layerCount)
    }

    /// Estimated per-draft acceptance at exit layer e (1 … L−1).
    func acceptance(_ e: Int) -> Double { (successes[e] + 1) / (successes[e] + failures[e] + 5) }

    /// Expected speedup over plain decoding of drafting at e with depth k.
    func expectedSpeedup(exitLayer e: Int, depth k: Int) -> Double {
        let a = min(acceptance(e), 0.999)
        let L = Double(layerCount), E = Double(e), K = Double(k)
        let tokens = (1 - pow(a, K + 1)) / (1 - a)
        let cost = K * (E + draftHeadCost + extraDraftCost[e, default: 0]) + E + (L - E + headCost) * (1 + verifyGrowth * K)
        return tokens / cost * (L + headCost)
    }

    /// The best (E, K) under the model, or nil when plain decoding is expected to be faster
    /// (except on exploration rounds).
    mutating func choose() -> Choice? {
        var best: (Choice, Double)?
        for e in exitLayers {
            for k in 1...Self.maxDepth {
                let s = expectedSpeedup(exitLayer: e, depth: k)
                if best == nil || s > best!.1 { best = (Choice(exitLayer: e, depth: k), s) }
            }
        }
        guard let (choice, speedup) = best else { return nil }
        if speedup > 1 {
            exploreInterval = Self.exploreEvery
            return choice
        }
        plainSteps += 1
        guard plainSteps >= exploreInterval else { return nil }
        plainSteps = 0
        exploreInterval = min(exploreInterval * 2, Self.maxExploreEvery)
        return Choice(exitLayer: choice.exitLayer, depth: 1)
    }

    /// Records a round: `accepted` of `drafted` drafts at exit layer e were accepted.
    mutating func record(exitLayer e: Int, drafted: Int, accepted: Int) {
        guard e >= 1 && e < layerCount else { return }
        successes[e] = successes[e] * 0.97 + Double(accepted)
        failures[e] *= 0.97
        if accepted < drafted { failures[e] += 1 }
    }
}
