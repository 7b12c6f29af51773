import SkipChatEngine

/// The chat's backend on the real engine: a loaded `LanguageModel`, and per conversation a
/// `GenerationSession` that keeps its KV cache between turns (the rendered conversation shares
/// its prefix with the previous prompt, which the session reuses).
struct EngineBackend: ChatBackend {
    let model: LanguageModel
    /// The chat's sampling when the user sets none (`ModelFile.recommendedSampling`, with the
    /// chat's repetition penalty: `RecommendedSampling.forChat`).
    let sampling: RecommendedSampling

    /// Loads the model (nil path: the default model).
    /// - Parameters:
    ///   - template: chat template name overriding the model's; nil = recognised from the model.
    ///   - adapters: use the model's draft sidecar when there is one.
    /// Positions a conversation may use.
    let contextLength: Int

    /// Loads the model (nil path: the default model).
    /// - Parameters:
    ///   - quantize: quantise a Hugging Face checkpoint to this type (its cached copy, made once
    ///     with `progress(done, total)` in source bytes); nil = the weights as stored.
    ///   - template: chat template name overriding the model's; nil = recognised from the model.
    ///   - adapters: use the model's draft sidecar when there is one.
    ///   - adapterPath: the sidecar to use instead (`--adapters PATH`).
    ///   - draftHead: the head drafts read (`--draft-head`).
    ///   - context: the context window in tokens (16 … the model's); nil = the model's.
    /// - Throws: `ModelLoadError` (also when the model has no chat template and none is named:
    ///   the chat renders every turn with one), or `ConfigError` when `context` is out of range.
    init(path: String?, quantize: QuantizeType? = nil, progress: (Int, Int) -> Void = { _, _ in }, threads: Int,
         template: String? = nil, adapters: Bool = true, adapterPath: String? = nil,
         draftHead: DraftHeadRequest = .auto, context: Int? = nil) throws {
        if let quantize {
            let file = try ModelFile.open(path: path ?? LanguageModel.defaultModelPath, quantize: quantize, threads: max(1, threads), progress: progress)
            model = try LanguageModel(file: file, threads: max(1, threads), template: template, adapters: adapters,
                                      adapterPath: adapterPath, draftHead: draftHead)
        } else {
            model = try LanguageModel.load(path: path, threads: max(1, threads), template: template, adapters: adapters,
                                           adapterPath: adapterPath, draftHead: draftHead)
        }
        _ = try model.chatTemplate()
        sampling = try model.file.recommendedSampling().forChat
        contextLength = try ContextWindow.validated(context, modelContext: model.config.contextLength)
    }

    var modelName: String { model.file.displayName }
    var layerCount: Int { model.config.layerCount }
    /// The model's decoder defaults with its recommended sampling (`generate` keeps greedy).
    func defaultSettings() -> DecoderSettings {
        var settings = model.defaultSettings()
        settings.sampling = sampling.parameters
        return settings
    }
    func makeGenerator() -> any ChatGenerator { EngineGenerator(model: model, contextLength: contextLength) }
}

/// Owns the generation session; lives on the decoder thread.
final class EngineGenerator: ChatGenerator {
    private let model: LanguageModel
    private let session: GenerationSession
    /// The first kept turn of the last conversation (`ContextWindow.firstKeptTurn`'s hint).
    private var firstKept = 0

    init(model: LanguageModel, contextLength: Int) {
        self.model = model
        session = GenerationSession(model: model, maxContext: contextLength)
    }

    /// The conversation rendered with the model's chat template and tokenised.
    func prompt(systemPrompt: String?, turns: some Collection<SessionMessage>) -> [Int32] {
        var messages: [ChatMessage] = []
        if let systemPrompt, !systemPrompt.isEmpty { messages.append(ChatMessage(role: "system", content: systemPrompt)) }
        for turn in turns where turn.role == .user || turn.role == .assistant {
            messages.append(ChatMessage(role: turn.role.rawValue, content: turn.text))
        }
        return model.promptTokens(messages)
    }

    func generate(systemPrompt: String?, turns: [SessionMessage], maxTokens: Int, knobs: DecoderKnobs,
                  onTrim: (Int) -> Void, onEvent: (DecoderEvent) -> Void) throws {
        let kept = keptTurns(systemPrompt: systemPrompt, turns: turns,
                             reserve: ContextWindow.replyReserve(maxTokens: maxTokens, limit: session.contextLimit))
        onTrim(kept.dropped)
        try session.generate(prompt: prompt(systemPrompt: systemPrompt, turns: kept.turns), maxTokens: maxTokens,
                             knobs: knobs, onEvent: onEvent)
    }

    /// The user and assistant turns the model sees, and how many were left out.
    func keptTurns(systemPrompt: String?, turns: [SessionMessage], reserve: Int) -> (turns: ArraySlice<SessionMessage>, dropped: Int) {
        let messages = turns.filter { $0.role == .user || $0.role == .assistant }
        firstKept = ContextWindow.firstKeptTurn(messages, limit: session.contextLimit, reserve: reserve, hint: firstKept) {
            prompt(systemPrompt: systemPrompt, turns: $0).count
        }
        return (messages[firstKept...], firstKept)
    }

    /// Early-exit predictions of every layer for the selected reply token (`LanguageModel.layerLens`).
    func lens(_ request: LensRequest) throws -> [LensLayer] {
        let kept = keptTurns(systemPrompt: request.systemPrompt, turns: request.turns, reserve: request.replyTokens.count)
        let tokens = prompt(systemPrompt: request.systemPrompt, turns: kept.turns) + request.replyTokens
        let rows = model.layerLens(tokens: tokens, position: tokens.count - 1, top: 3)
        return rows.enumerated().map { index, predictions in
            LensLayer(layer: index + 1, predictions: predictions.map {
                LensPrediction(text: String(decoding: model.tokenizer.tokenBytes($0.id), as: UTF8.self),
                               probability: $0.probability, id: $0.id)
            })
        }
    }
}
