import SkipChatEngine

/// Settings of a chat. Every field is optional: nil means "not given here", so flags can be
/// layered over the config file (`merged(over:)`), which is layered over the model's defaults.
public struct ChatOptions: Equatable, Sendable {
    /// Model file or directory (nil: the default model).
    public var modelPath: String?
    /// Chat template name overriding the model's (nil: recognised from the model).
    public var template: String?
    /// Use the model's exit-adapter sidecar (nil: yes).
    public var adapters: Bool?
    /// The exit-adapter sidecar to use instead of the one found beside the model or in the cache.
    public var adapterPath: String?
    /// The head drafts read (nil: auto).
    public var draftHead: DraftHeadRequest?
    public var threads: Int?
    public var exitLayer: Int?
    public var depth: Int?
    public var mode: DecodingMode?
    public var dynamicThreshold: Float?
    public var temperature: Float?
    public var topK: Int?
    public var topP: Float?
    public var minP: Float?
    public var repetitionPenalty: Float?
    public var seed: UInt64?
    /// Longest reply, in tokens.
    public var maxTokens: Int?
    /// The context window, in tokens (nil: the model's).
    public var context: Int?
    /// Theme name or path.
    public var theme: String?
    public var systemPrompt: String?
    /// Show rejected drafts inline as ghost text.
    public var ghostText: Bool?
    /// Reopen the last session.
    public var resume = false
    /// Plain line mode (`--line`; also chosen when TERM is unset or "dumb").
    public var line = false
    /// Config file to read instead of `$XDG_CONFIG_HOME/skipchat/config.toml`.
    public var configPath: String?

    /// Creates options with nothing set.
    public init() {}

    /// These options, with every unset field taken from `base`.
    public func merged(over base: ChatOptions) -> ChatOptions {
        var result = self
        result.modelPath = modelPath ?? base.modelPath
        result.template = template ?? base.template
        result.adapters = adapters ?? base.adapters
        result.adapterPath = adapterPath ?? base.adapterPath
        result.draftHead = draftHead ?? base.draftHead
        result.threads = threads ?? base.threads
        result.exitLayer = exitLayer ?? base.exitLayer
        result.depth = depth ?? base.depth
        result.mode = mode ?? base.mode
        result.dynamicThreshold = dynamicThreshold ?? base.dynamicThreshold
        result.temperature = temperature ?? base.temperature
        result.topK = topK ?? base.topK
        result.topP = topP ?? base.topP
        result.minP = minP ?? base.minP
        result.repetitionPenalty = repetitionPenalty ?? base.repetitionPenalty
        result.seed = seed ?? base.seed
        result.maxTokens = maxTokens ?? base.maxTokens
        result.context = context ?? base.context
        result.theme = theme ?? base.theme
        result.systemPrompt = systemPrompt ?? base.systemPrompt
        result.ghostText = ghostText ?? base.ghostText
        result.resume = resume || base.resume
        result.line = line || base.line
        return result
    }

    /// `defaults` with the decoder fields these options set, clamped to the model's `layerCount`.
    public func settings(over defaults: DecoderSettings, layerCount: Int) -> DecoderSettings {
        var s = defaults
        if let mode { s.mode = mode }
        if let exitLayer { s.exitLayer = exitLayer }
        if let depth { s.depth = depth }
        if let dynamicThreshold { s.dynamicThreshold = dynamicThreshold }
        if let temperature { s.sampling.temperature = temperature }
        if let topK { s.sampling.topK = topK }
        if let topP { s.sampling.topP = topP }
        if let minP { s.sampling.minP = minP }
        if let repetitionPenalty { s.sampling.repetitionPenalty = repetitionPenalty }
        if let seed { s.sampling.seed = seed }
        return KnobLimits(layerCount: layerCount).clamped(s)
    }
}
