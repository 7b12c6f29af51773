import Foundation
import SkipChatEngine

/// Greedy draft acceptance of one depth with the model's reduced draft head and with the full head.
public struct DraftHeadAcceptanceResult: Sendable, Codable {
    public var exitLayer: Int
    public var depth: Int
    /// Rows of the reduced head (`LanguageModel.draftHead`).
    public var draftHeadRows: Int
    /// Accepted ÷ drafted tokens with the reduced head, and with the full head (0…1).
    public var reducedAcceptance: Double
    public var fullAcceptance: Double
    public var reducedDrafted: Int
    public var fullDrafted: Int
}

/// What a reduced-vocabulary draft head costs in acceptance: the same prompts decoded greedily in
/// fixed mode at one exit layer, with drafts through the model's draft head and through the full
/// LM head, in one run. Both outputs equal plain greedy decoding (verification reads the full
/// head); only the drafts differ.
public enum DraftHeadAcceptance {
    /// - Parameters:
    ///   - prompts: user messages, each rendered with the model's chat template.
    ///   - exitLayer: 1 ≤ E < L.
    ///   - depths: speculation depths, each 1 … `DecoderSettings.maxDepth`.
    ///   - maxTokens: tokens per prompt (≥ 1).
    /// - Returns: one result per depth; empty when the model drafts with the full head.
    /// - Throws: `GenerationError` when a prompt does not fit the context.
    public static func run(model: LanguageModel, prompts: [String], exitLayer: Int, depths: [Int],
                           maxTokens: Int) throws -> [DraftHeadAcceptanceResult] {
        guard let head = model.draftHead else { return [] }
        let encoded = prompts.map { model.promptTokens([ChatMessage(role: "user", content: $0)]) }
        func acceptance(_ draftHead: DraftHead?, depth: Int) throws -> (rate: Double, drafted: Int) {
            let session = GenerationSession(model: model)
            session.forward.draftHead = draftHead
            var settings = model.defaultSettings()
            settings.mode = .fixed
            settings.exitLayer = exitLayer
            settings.depth = depth
            settings.sampling = SamplingParameters()
            var drafted = 0, accepted = 0
            for prompt in encoded {
                try session.generate(prompt: prompt, maxTokens: maxTokens, knobs: DecoderKnobs(settings)) { event in
                    if case let .finished(_, _, stats) = event {
                        drafted += stats.draftedTokens
                        accepted += stats.acceptedDrafts
                    }
                }
            }
            return (drafted == 0 ? 0 : Double(accepted) / Double(drafted), drafted)
        }
        return try depths.map { k in
            let reduced = try acceptance(head, depth: k)
            let full = try acceptance(nil, depth: k)
            return DraftHeadAcceptanceResult(exitLayer: exitLayer, depth: k, draftHeadRows: head.ids.count,
                                             reducedAcceptance: reduced.rate, fullAcceptance: full.rate,
                                             reducedDrafted: reduced.drafted, fullDrafted: full.drafted)
        }
    }
}
