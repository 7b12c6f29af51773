import SkipChatEngine

/// The model side of the chat. The backend itself is shared (read-only); the generator it makes
/// holds the KV cache and lives on the decoder thread only.
public protocol ChatBackend: Sendable {
    var modelName: String { get }
    /// Number of layers L.
    var layerCount: Int { get }
    /// Longest context, in tokens (`--context`, else the model's).
    var contextLength: Int { get }
    /// Decoder settings when the user gives none.
    func defaultSettings() -> DecoderSettings
    /// Creates the conversation's generator; called on the decoder thread, used only there.
    func makeGenerator() -> any ChatGenerator
}

/// Runs generations and lens queries; owned by one thread.
public protocol ChatGenerator: AnyObject {
    /// Renders the conversation with the chat template and generates the reply, reporting events.
    /// Turns that no longer fit the context are left out (`ContextWindow`); `onTrim` is told how
    /// many messages the model does not see, before the reply starts.
    func generate(systemPrompt: String?, turns: [SessionMessage], maxTokens: Int, knobs: DecoderKnobs,
                  onTrim: (Int) -> Void, onEvent: (DecoderEvent) -> Void) throws
    /// The early-exit top predictions of every layer for the last token of `request.replyTokens`.
    func lens(_ request: LensRequest) throws -> [LensLayer]
}
