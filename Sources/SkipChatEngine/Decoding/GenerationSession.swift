import Foundation
import SkipChatTokenizer

/// One conversation's decoder: owns the KV cache and runs self-speculative decoding
/// (LayerSkip, Elhoushi et al. 2024 §4): each round drafts up to K tokens with layers [0, E) and
/// the shared head, verifies them with one batched pass of layers [E, L) over the drafts' cached
/// hidden states (reusing the KV entries the drafts wrote for layers < E), accepts a prefix, and
/// rolls every layer's KV cache back to the committed length.
///
/// Invariant between rounds: the sequence's last token is *pending* (not yet run); every layer's
/// cache holds exactly the positions before it. So exit layer, depth and mode may change between
/// rounds. Use from one thread; `DecoderKnobs` is the thread-safe way in.
public final class GenerationSession {
    public let model: LanguageModel
    package let forward: ForwardPass
    let layerCount: Int
    let vocab: Int
    let hiddenSize: Int
    /// Every token of the conversation so far (prompt and replies). All but the last are in the cache.
    public internal(set) var tokens: [Int32] = []

    /// Hidden states of the round's positions: [(maxDepth + 1) × hidden].
    let rows: RowBuffer
    /// Logits of up to maxDepth + 1 positions: [(maxDepth + 1) × vocab].
    let logitRows: RowBuffer
    /// Dynamic mode: hidden state of draft i after each layer l, row i · (L + 1) + l of
    /// [(maxDepth + 1) · (L + 1) × hidden] (see `snapshot`).
    let snapshots: RowBuffer
    /// Dynamic mode: earlier drafts brought up to a deeper layer, [(maxDepth + 1) × hidden].
    let catchUpRows: RowBuffer
    var autoTuner: AutoTuner
    var rng = SeededGenerator(seed: 0)

    /// - Parameter maxContext: positions the KV cache may grow to (default: the model's context).
    public init(model: LanguageModel, maxContext: Int? = nil) {
        self.model = model
        let config = model.config
        layerCount = config.layerCount
        vocab = model.weights.lmHead.rows
        hiddenSize = config.hiddenSize
        forward = ForwardPass(model: model.llama, maxBatch: max(DecoderSettings.maxDepth + 1, Self.prefillChunk), maxPositions: maxContext)
        forward.exitAdapters = model.exitAdapters
        forward.draftHead = model.draftHead
        forward.draftBlock = model.draftBlock
        let rowsNeeded = DecoderSettings.maxDepth + 1
        rows = RowBuffer(capacity: rowsNeeded, width: hiddenSize)
        logitRows = RowBuffer(capacity: rowsNeeded, width: vocab)
        snapshots = RowBuffer(capacity: rowsNeeded * (layerCount + 1), width: hiddenSize)
        catchUpRows = RowBuffer(capacity: rowsNeeded, width: hiddenSize)
        autoTuner = AutoTuner(layerCount: layerCount, costs: MachineCostProbe.costs(for: model),
                              exitLayers: model.calibratedExitLayers)
    }

    /// Dynamic mode: draft `draft`'s hidden state after `layer` layers, [hidden].
    func snapshot(_ draft: Int, afterLayer layer: Int) -> UnsafeMutablePointer<Float> {
        snapshots.row(draft * (layerCount + 1) + layer)
    }

    /// Prompt positions per prefill batch: one batch reads every weight and each cached key once.
    static let prefillChunk = 64

    /// Positions the context may hold.
    public var contextLimit: Int { forward.cache.maxPositions }

    /// Generates a continuation of `prompt` (the whole conversation rendered and tokenised).
    /// Positions shared with the previous call's tokens are reused from the KV cache.
    ///
    /// - Parameters:
    ///   - prompt: token ids, at least one.
    ///   - maxTokens: most tokens to commit (≥ 1).
    ///   - knobs: read at the start of every round; `requestStop()` ends within one round.
    ///   - onEvent: called on this thread for every event, in order.
    /// - Returns: the committed token ids (the end-of-turn token included when produced).
    /// - Throws: `GenerationError` when the prompt is empty, holds an id outside the vocabulary,
    ///   or does not fit in the context.
    @discardableResult
    public func generate(prompt: [Int32], maxTokens: Int, knobs: DecoderKnobs,
                         onEvent: (DecoderEvent) -> Void) throws -> [Int32] {
        guard !prompt.isEmpty else { throw GenerationError.emptyPrompt }
        if let bad = prompt.first(where: { $0 < 0 || Int($0) >= vocab }) { throw GenerationError.tokenOutOfRange(bad, vocab) }
        guard prompt.count < contextLimit else { throw GenerationError.promptTooLong(prompt.count, contextLimit) }
        knobs.clearStop()
        var stats = DecodingStats(layerCount: layerCount)
        stats.promptTokens = prompt.count
        onEvent(.started(promptTokens: prompt.count))

        // Reuse the cached prefix, prefill the rest but the last token (it is pending).
        let prefillStart = Date()
        let shared = zip(tokens, prompt).prefix { $0 == $1 }.count
        let reuse = min(shared, forward.cache.lengths.min() ?? 0, prompt.count - 1)
        forward.truncate(to: reuse)
        let total = prompt.count - 1 - reuse
        forward.prefill(prompt[reuse..<(prompt.count - 1)], startPosition: reuse) { done in
            let seconds = Date().timeIntervalSince(prefillStart)
            if seconds > 1 && done < total { onEvent(.prefilling(done: done, total: total, seconds: seconds)) }
        }
        tokens = prompt
        stats.prefillSeconds = Date().timeIntervalSince(prefillStart)
        stats.layerEvaluations = 0
        onEvent(.prefilled(tokens: prompt.count - 1 - reuse, seconds: stats.prefillSeconds))

        return withoutActuallyEscaping(onEvent) { onEvent in
            decode(maxTokens: maxTokens, knobs: knobs, stats: stats, onEvent: onEvent)
        }
    }

    /// The round loop of `generate`, after prefill.
    private func decode(maxTokens: Int, knobs: DecoderKnobs, stats: DecodingStats,
                        onEvent: @escaping (DecoderEvent) -> Void) -> [Int32] {
        var state = RoundState(stats: stats, detokenizer: StreamingDetokenizer(tokenizer: model.tokenizer),
                               generated: [], onEvent: onEvent)
        rng = SeededGenerator(seed: knobs.settings.sampling.seed)
        let decodeStart = Date()
        var reason = FinishReason.maxTokens
        while true {
            if knobs.stopRequested { reason = .stopped; break }
            if state.generated.count >= maxTokens { reason = .maxTokens; break }
            if tokens.count >= contextLimit { reason = .contextFull; break }
            let settings = validated(knobs.settings)
            let budget = maxTokens - state.generated.count
            let room = contextLimit - tokens.count
            let depth = min(settings.depth, budget - 1, room - 1)
            let ended: Bool
            switch settings.mode {
            case _ where depth < 1, .autoregressive:
                ended = autoregressiveStep(settings, &state)
            case .fixed:
                ended = speculativeRound(settings, exitLayer: settings.exitLayer, depth: depth, &state)
            case .auto:
                if let choice = autoTuner.choose() {
                    ended = speculativeRound(settings, exitLayer: choice.exitLayer, depth: min(choice.depth, depth),
                                             exploring: choice.exploring, &state)
                } else {
                    ended = autoregressiveStep(settings, &state)
                }
                state.stats.tuner = autoTuner.state()
            case .dynamic:
                ended = speculativeRound(settings, exitLayer: nil, depth: depth, &state)
            }
            state.stats.decodeSeconds = Date().timeIntervalSince(decodeStart)
            onEvent(.stats(state.stats))
            if ended { reason = .endOfTurn; break }
        }
        state.stats.decodeSeconds = Date().timeIntervalSince(decodeStart)
        onEvent(.finished(reason: reason, tokens: state.generated, stats: state.stats))
        return state.generated
    }

    /// Clamps settings to what this model allows.
    func validated(_ s: DecoderSettings) -> DecoderSettings {
        var s = s
        s.exitLayer = min(max(s.exitLayer, 1), layerCount - 1)
        s.maxExitLayer = min(max(s.maxExitLayer, 1), layerCount - 1)
        s.depth = min(max(s.depth, 1), DecoderSettings.maxDepth)
        s.dynamicThreshold = min(max(s.dynamicThreshold, 0), 1)
        return s
    }
}

/// Mutable state of one `generate` call, passed to the round functions.
struct RoundState {
    var stats: DecodingStats
    var detokenizer: StreamingDetokenizer
    /// Tokens committed by this call.
    var generated: [Int32]
    let onEvent: (DecoderEvent) -> Void
}

/// A generation request the decoder cannot run.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case emptyPrompt
    case tokenOutOfRange(Int32, Int)
    case promptTooLong(Int, Int)

    public var description: String {
        switch self {
        case .emptyPrompt: "the prompt has no tokens"
        case let .tokenOutOfRange(id, vocab): "token id \(id) is outside the vocabulary (0..<\(vocab))"
        case let .promptTooLong(n, limit): "the prompt has \(n) tokens; the context holds \(limit)"
        }
    }
}
