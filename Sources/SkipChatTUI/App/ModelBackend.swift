import SkipChatEngine

/// The chat's backend on the real engine: a loaded `LanguageModel`, and per conversation a
/// `GenerationSession` that keeps its KV cache between turns (the rendered conversation shares
/// its prefix with the previous prompt, which the session reuses).
struct EngineBackend: ChatBackend {
    let model: LanguageModel
    /// The chat's sampling when the user sets none (`ModelFile.recommendedSampling`).
    let sampling: RecommendedSampling

    /// Loads the model (nil path: the default model).
    /// - Parameters:
    ///   - template: chat template name overriding the model's; nil = recognised from the model.
    ///   - adapters: use the model's exit-adapter sidecar when there is one.
    init(path: String?, threads: Int, template: String? = nil, adapters: Bool = true) throws {
        model = try LanguageModel.load(path: path, threads: max(1, threads), template: template, adapters: adapters)
        sampling = try model.file.recommendedSampling()
    }

    var modelName: String { model.name }
    var layerCount: Int { model.config.layerCount }
    var contextLength: Int { model.config.contextLength }
    /// The model's decoder defaults with its recommended sampling (`generate` keeps greedy).
    func defaultSettings() -> DecoderSettings {
        var settings = model.defaultSettings()
        settings.sampling = sampling.parameters
        return settings
    }
    func makeGenerator() -> any ChatGenerator { EngineGenerator(model: model) }
}

/// Owns the generation session; lives on the decoder thread.
final class EngineGenerator: ChatGenerator {
    private let model: LanguageModel
    private let session: GenerationSession

    init(model: LanguageModel) {
        self.model = model
        session = GenerationSession(model: model)
    }

    /// The conversation rendered with the model's chat template and tokenised.
    private func prompt(systemPrompt: String?, turns: [SessionMessage]) -> [Int32] {
        var messages: [ChatMessage] = []
        if let systemPrompt, !systemPrompt.isEmpty { messages.append(ChatMessage(role: "system", content: systemPrompt)) }
        for turn in turns where turn.role == .user || turn.role == .assistant {
            messages.append(ChatMessage(role: turn.role.rawValue, content: turn.text))
        }
        return model.promptTokens(messages)
    }

    func generate(systemPrompt: String?, turns: [SessionMessage], maxTokens: Int, knobs: DecoderKnobs,
                  onEvent: (DecoderEvent) -> Void) throws {
        try session.generate(prompt: prompt(systemPrompt: systemPrompt, turns: turns), maxTokens: maxTokens,
                             knobs: knobs, onEvent: onEvent)
    }

    /// Early-exit predictions of every layer for the selected reply token (`LanguageModel.layerLens`).
    func lens(_ request: LensRequest) throws -> [LensLayer] {
        let tokens = prompt(systemPrompt: request.systemPrompt, turns: request.turns) + request.replyTokens
        let rows = model.layerLens(tokens: tokens, position: tokens.count - 1, top: 3)
        return rows.enumerated().map { index, predictions in
            LensLayer(layer: index + 1, predictions: predictions.map {
                LensPrediction(text: String(decoding: model.tokenizer.tokenBytes($0.id), as: UTF8.self),
                               probability: $0.probability, id: $0.id)
            })
        }
    }
}
