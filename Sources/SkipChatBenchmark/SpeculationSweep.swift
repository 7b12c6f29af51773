import Foundation
import SkipChatEngine

/// One measured decoding setting of a sweep.
public struct SweepResult: Sendable, Codable {
    /// The setting in words (`SpeculationSweep.describe`), e.g. "fixed E=8 K=4".
    public var setting: String
    /// "autoregressive", "fixed", "dynamic" or "auto".
    public var mode: DecodingMode
    public var exitLayer: Int?
    public var depth: Int?
    public var dynamicThreshold: Float?
    public var acceptanceRate: Double
    public var tokensPerSecond: Double
    /// tokens/s ÷ autoregressive tokens/s measured in the same run.
    public var speedup: Double
    /// Mean exit layer of committed tokens.
    public var meanExitLayer: Double
    public var committedTokens: Int
    /// True when the committed tokens equal plain greedy decoding's (greedy runs only).
    public var matchesAutoregressive: Bool
    /// Fixed settings: the auto tuner's expected speedup (`MachineCosts.expectedSpeedup`) from
    /// the probe's measured costs and this row's measured per-draft acceptance, to check the model.
    public var predictedSpeedup: Double?
}

/// Runs a model over a prompt set with plain decoding and with each self-speculative setting,
/// greedy, and reports acceptance, tokens/s and speedup measured in the same run. Plain decoding
/// is timed before and after the sweep and the mean is the baseline (the machine is shared).
public enum SpeculationSweep {
    /// Built-in chat prompts.
    public static let defaultPrompts = [
        "What is the capital of France?",
        "Write a short poem about the sea.",
        "Explain in two sentences why the sky is blue.",
        "Give me three tips for learning to cook.",
    ]

    public static func run(model: LanguageModel, prompts: [String], settings: [DecoderSettings], maxTokens: Int,
                           progress: (String) -> Void = { _ in }) throws -> [SweepResult] {
        let encoded = prompts.map { text in
            model.promptTokens([ChatMessage(role: "user", content: text)])
        }
        let session = GenerationSession(model: model)
        func measure(_ s: DecoderSettings) throws -> (DecodingStats, [[Int32]]) {
            var total = DecodingStats(layerCount: model.config.layerCount)
            var outputs: [[Int32]] = []
            for prompt in encoded {
                var stats = DecodingStats()
                let tokens = try session.generate(prompt: prompt, maxTokens: maxTokens, knobs: DecoderKnobs(s)) { event in
                    if case let .finished(_, _, final) = event { stats = final }
                }
                outputs.append(tokens)
                total.committedTokens += stats.committedTokens
                total.speculation.add(stats.speculation)
                total.decodeSeconds += stats.decodeSeconds
            }
            return (total, outputs)
        }
        var plain = model.defaultSettings()
        plain.mode = .autoregressive
        progress("autoregressive")
        let (before, reference) = try measure(plain)
        var measured: [(DecoderSettings, DecodingStats, Bool)] = []
        for s in settings {
            progress(describe(s))
            let (stats, outputs) = try measure(s)
            measured.append((s, stats, outputs == reference))
        }
        progress("autoregressive (again)")
        let (after, _) = try measure(plain)
        let baseline = (before.tokensPerSecond + after.tokensPerSecond) / 2
        let plainResult = SweepResult(setting: describe(plain), mode: .autoregressive, acceptanceRate: 0, tokensPerSecond: baseline, speedup: 1,
                                      meanExitLayer: before.meanExitLayer, committedTokens: before.committedTokens,
                                      matchesAutoregressive: true)
        let costs = MachineCostProbe.costs(for: model)
        return [plainResult] + measured.map { s, stats, same in
            let predicted = s.mode == .fixed
                ? costs.expectedSpeedup(layerCount: model.config.layerCount, exitLayer: s.exitLayer, depth: s.depth,
                                        acceptance: perDraftAcceptance(stats.speculation)) : nil
            return SweepResult(setting: describe(s), mode: s.mode, exitLayer: s.mode == .fixed ? s.exitLayer : nil, depth: s.mode == .auto ? nil : s.depth,
                        dynamicThreshold: s.mode == .dynamic ? s.dynamicThreshold : nil, acceptanceRate: stats.acceptanceRate,
                        tokensPerSecond: stats.tokensPerSecond, speedup: stats.tokensPerSecond / baseline,
                        meanExitLayer: stats.meanExitLayer, committedTokens: stats.committedTokens, matchesAutoregressive: same,
                        predictedSpeedup: predicted)
        }
    }

    /// The per-draft acceptance α of the geometric model (each draft accepted with probability α
    /// once the ones before it were): accepted drafts ÷ (accepted drafts + rounds with a
    /// rejection), the estimate the auto tuner keeps. Rounds with a rejection = rounds − rounds
    /// whose every draft was accepted (those accepted their last draft position).
    public static func perDraftAcceptance(_ tally: SpeculationTally) -> Double {
        let rounds = tally.draftedByPosition.first ?? 0
        guard rounds > 0 else { return 0 }
        let full = zip(tally.draftedByPosition, tally.acceptedByPosition).enumerated().reduce(0) { sum, item in
            let (i, (drafted, accepted)) = item
            let next = i + 1 < tally.draftedByPosition.count ? tally.draftedByPosition[i + 1] : 0
            return sum + max(0, min(accepted, drafted - next))   // rounds that ended at position i, all accepted
        }
        let rejected = rounds - full
        let accepted = tally.acceptedDrafts
        return accepted + rejected > 0 ? Double(accepted) / Double(accepted + rejected) : 0
    }

    /// "fixed E=8 K=4", "dynamic 0.70 K=4", "auto".
    public static func describe(_ s: DecoderSettings) -> String {
        switch s.mode {
        case .autoregressive: "autoregressive"
        case .fixed: "fixed E=\(s.exitLayer) K=\(s.depth)"
        case .dynamic: String(format: "dynamic %.2f K=%d", s.dynamicThreshold, s.depth)
        case .auto: "auto"
        }
    }
}
