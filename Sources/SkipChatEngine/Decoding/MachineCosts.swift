import Foundation

/// What a round of self-speculation costs on this machine, measured by a short probe at model load
/// (`MachineCostProbe`), in seconds: one transformer layer at T = 1 position, c(T) the cost of T
/// batched positions relative to one (T = 1 … 9), the LM head at T = 1 and its growth, and each
/// candidate exit's draft cost (draft block or exit adapter, final norm and draft head).
/// The expected-speedup model in `AutoTuner.expectedSpeedup` (docs/auto-tuner.md) uses them.
public struct MachineCosts: Sendable, Equatable, Codable {
    /// Seconds of one layer for one position (median of the probe's T = 1 runs ÷ layers run).
    public var layerSeconds: Double
    /// c(T) for T = 1 … `batchGrowth.count`: a batch of T positions through the layers ÷ one
    /// position (c(1) = 1).
    public var batchGrowth: [Double]
    /// Seconds of the full LM head (final norm and projection) for one position.
    public var headSeconds: Double
    /// The full head for T positions ÷ one, same T as `batchGrowth`.
    public var headGrowth: [Double]
    /// Exit layer → seconds of one draft exit there after its layers (draft block or exit adapter,
    /// final norm, draft head); `plainExitSeconds` at exit layers without either.
    public var exitSeconds: [Int: Double]
    public var plainExitSeconds: Double
    /// Probe wall time, seconds.
    public var probeSeconds: Double

    /// Largest T the probe measures (verification of depth 8).
    public static let maxBatch = 9

    public init(layerSeconds: Double, batchGrowth: [Double], headSeconds: Double, headGrowth: [Double],
                exitSeconds: [Int: Double], plainExitSeconds: Double, probeSeconds: Double) {
        self.layerSeconds = layerSeconds
        self.batchGrowth = batchGrowth
        self.headSeconds = headSeconds
        self.headGrowth = headGrowth
        self.exitSeconds = exitSeconds
        self.plainExitSeconds = plainExitSeconds
        self.probeSeconds = probeSeconds
    }

    /// c(T) for T ≥ 1 (past the measured range: extrapolated linearly from the last two points).
    public func batch(_ t: Int) -> Double { Self.grow(batchGrowth, t) }

    /// The head's growth for T ≥ 1, as `batch`.
    public func head(_ t: Int) -> Double { Self.grow(headGrowth, t) }

    /// Seconds of one draft exit at exit layer `e` after its layers.
    public func exit(_ e: Int) -> Double { exitSeconds[e] ?? plainExitSeconds }

    /// Expected speedup over plain decoding of rounds at exit layer e with depth k and per-draft
    /// acceptance α, for a model of `layerCount` layers (docs/auto-tuner.md): tokens per round
    /// (1 − α^(k+1)) / (1 − α) (Leviathan et al. 2023, eq. 1) over the round's seconds
    /// k·(e·t + x_e) + e·t + (L − e)·t·c(k+1) + t_h·c_h(k+1), times a plain step's L·t + t_h.
    public func expectedSpeedup(layerCount: Int, exitLayer e: Int, depth k: Int, acceptance alpha: Double) -> Double {
        let a = min(max(alpha, 0), 0.999)
        let L = Double(layerCount), E = Double(e), K = Double(k), t = layerSeconds
        let tokens = (1 - pow(a, K + 1)) / (1 - a)
        let round = K * (E * t + exit(e)) + E * t + (L - E) * t * batch(k + 1) + headSeconds * head(k + 1)
        return tokens / round * (L * t + headSeconds)
    }

    private static func grow(_ values: [Double], _ t: Int) -> Double {
        guard t > 1, let last = values.last else { return 1 }
        if t <= values.count { return values[t - 1] }
        let slope = values.count >= 2 ? max(0, last - values[values.count - 2]) : 0
        return last + slope * Double(t - values.count)
    }

    /// Whether every value is finite and positive and the growth lists are usable.
    var isPlausible: Bool {
        let all = [layerSeconds, headSeconds, plainExitSeconds] + batchGrowth + headGrowth + Array(exitSeconds.values)
        return all.allSatisfy { $0.isFinite && $0 > 0 } && batchGrowth.count == Self.maxBatch
            && headGrowth.count == Self.maxBatch && batchGrowth.first == 1 && headGrowth.first == 1
    }
}
