import Foundation

/// Turns raw logits into a next-token choice. Greedy picks the argmax (lowest id on ties).
/// Sampling applies, in order: repetition penalty (CTRL, Keskar et al. 2019: positive logits of
/// tokens already in the context, or in its last `repetitionWindow` tokens, are divided by the
/// penalty, negative ones multiplied),
/// temperature, softmax, top-k, top-p (nucleus, Holtzman et al. 2020), min-p (tokens below
/// minP × the top probability are dropped), renormalisation. The same processing is applied to
/// the draft's and the verifier's logits, so speculative sampling keeps the processed model
/// distribution exactly.
public struct LogitsProcessor: Sendable {
    public var parameters: SamplingParameters

    public init(_ parameters: SamplingParameters) { self.parameters = parameters }

    /// Index of the largest logit (lowest index on ties).
    /// - Parameter logits: `count` floats.
    public static func argmax(_ logits: UnsafePointer<Float>, count: Int) -> Int32 {
        var best = 0
        var bestValue = logits[0]
        for i in 1..<count where logits[i] > bestValue {
            best = i
            bestValue = logits[i]
        }
        return Int32(best)
    }

    /// Top-1 probability of softmax(logits) (a confidence measure for dynamic exit).
    public static func topProbability(_ logits: UnsafePointer<Float>, count: Int) -> Float {
        let top = logits[Int(argmax(logits, count: count))]
        var sum: Float = 0
        for i in 0..<count { sum += expf(logits[i] - top) }
        return 1 / sum
    }

    /// The processed distribution of one position.
    /// - Parameters:
    ///   - logits: `count` raw logits (not modified).
    ///   - context: tokens before this position (for the repetition penalty; draft and verifier
    ///     pass the same context at the same position, so they penalise the same tokens).
    ///   - columns: vocabulary ids of the logits (a reduced draft head); nil = logit i is token i.
    public func distribution(_ logits: UnsafePointer<Float>, count: Int, context: some Sequence<Int32>,
                             columns: [Int32]? = nil) -> TokenDistribution {
        var adjusted = Array(UnsafeBufferPointer(start: logits, count: count))
        let penalty = parameters.repetitionPenalty
        if penalty != 1 {
            let seen = Set(parameters.repetitionWindow.map { context.suffix($0) } ?? Array(context))
            for c in 0..<count where seen.contains(columns?[c] ?? Int32(c)) {
                adjusted[c] = adjusted[c] > 0 ? adjusted[c] / penalty : adjusted[c] * penalty
            }
        }
        let temperature = max(parameters.temperature, 1e-4)
        var top = adjusted[0]
        for v in adjusted where v > top { top = v }
        // Candidates: tokens within e^-20.7 (~1e-9) of the top probability; the rest cannot
        // change a sample measurably (at most vocab × 1e-9 of the mass) and are dropped from both
        // draft and verifier distributions alike. Sorted by logit, descending (ties: lower id).
        let floor = top - Self.logProbabilityFloor * temperature
        var order = (0..<count).filter { adjusted[$0] >= floor }
        order.sort { adjusted[$0] > adjusted[$1] || (adjusted[$0] == adjusted[$1] && $0 < $1) }
        if parameters.topK > 0, order.count > parameters.topK { order.removeSubrange(parameters.topK...) }
        var probs = order.map { expf((adjusted[$0] - top) / temperature) }
        var keep = probs.count
        if parameters.topP < 1 {
            let total = probs.reduce(0, +)
            var acc: Float = 0
            for (i, p) in probs.enumerated() {
                acc += p / total
                if acc >= parameters.topP { keep = i + 1; break }
            }
        }
        if parameters.minP > 0 {
            let threshold = parameters.minP * probs[0]
            keep = min(keep, probs.prefix(keep).firstIndex(where: { $0 < threshold }) ?? keep)
        }
        probs.removeSubrange(keep...)
        let total = probs.reduce(0, +)
        return TokenDistribution(ids: order.prefix(keep).map { columns?[$0] ?? Int32($0) }, probabilities: probs.map { $0 / total })
    }

    /// Candidates whose log-probability is more than this below the top one are dropped.
    static let logProbabilityFloor: Float = 20.7
}
