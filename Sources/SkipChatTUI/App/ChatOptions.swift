import SkipChatEngine

/// Settings of a chat. Every field is optional: nil means "not given here", so flags can be
/// layered over the config file (`merged(over:)`), which is layered over the model's defaults.
public struct ChatOptions: Equatable, Sendable {
    /// Model file or directory (nil: the default model).
    public var modelPath: String?
    /// Quantise a Hugging Face checkpoint on load to this type (nil: the weights as stored).
    public var quantize: QuantizeType?
    /// Chat template name overriding the model's (nil: recognised from the model).
    public var template: String?
    /// Use the model's draft sidecar (nil: yes).
    public var adapters: Bool?
    /// The draft sidecar to use instead of the one found beside the model or in the cache.
    public var adapterPath: String?
    /// The head drafts read (nil: auto).
    public var draftHead: DraftHeadRequest?
    public var threads: Int?
    /// Activations of quantised weights (nil: accurate).
    public var precision: KernelPrecision?
    /// Element type of the KV cache (nil: f16).
    public var kvType: KVCacheType?
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
        result.quantize = quantize ?? base.quantize
        result.template = template ?? base.template
        result.adapters = adapters ?? base.adapters
        result.adapterPath = adapterPath ?? base.adapterPath
        result.draftHead = draftHead ?? base.draftHead
        result.threads = threads ?? base.threads
        result.precision = precision ?? base.precision
        result.kvType = kvType ?? base.kvType
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

    /// `defaults` with the decoder fields these options set (checked first with `problems`); a
    /// saved session's settings are clamped to the model's `layerCount`.
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

extension ChatOptions {
    /// The value these options give a knob (nil: not given, or not a field of the options).
    public func value(of id: KnobID) -> KnobValue? {
        switch id {
        case .model: modelPath.map { .text($0) }
        case .quantize: quantize.map { .word($0.rawValue) }
        case .threads: threads.map { .integer($0) }
        case .precision: precision.map { .word($0.rawValue) }
        case .kvType: kvType.map { .word($0.rawValue) }
        case .draftHead: draftHead.map { head in if case .rows(let n) = head { .integer(n) } else { .word(head.description) } }
        case .exitLayer: exitLayer.map { .integer($0) }
        case .depth: depth.map { .integer($0) }
        case .mode: mode.map { .word($0.rawValue) }
        case .threshold: dynamicThreshold.map { .number($0) }
        case .temperature: temperature.map { .number($0) }
        case .topK: topK.map { .integer($0) }
        case .topP: topP.map { .number($0) }
        case .minP: minP.map { .number($0) }
        case .repetitionPenalty: repetitionPenalty.map { .number($0) }
        case .seed: seed.map { .seed($0) }
        case .maxTokens: maxTokens.map { .integer($0) }
        case .context: context.map { .integer($0) }
        case .system: systemPrompt.map { .text($0) }
        case .theme: theme.map { .text($0) }
        case .ghostText: ghostText.map { .onOff($0) }
        case .kernels, .greedy: nil   // the environment; a flag folded into temperature 0
        }
    }

    /// Gives a knob a value of its type (`Knob.parse`); nil unsets it.
    public mutating func set(_ id: KnobID, _ value: KnobValue?) {
        func integer() -> Int? { if case .integer(let n)? = value { n } else { nil } }
        func number() -> Float? { if case .number(let x)? = value { x } else { nil } }
        func text() -> String? {
            switch value {
            case .text(let t)?, .word(let t)?: t
            default: nil
            }
        }
        switch id {
        case .model: modelPath = text()
        case .quantize: quantize = text().flatMap(QuantizeType.init(rawValue:))
        case .threads: threads = integer()
        case .precision: precision = text().flatMap(KernelPrecision.init(rawValue:))
        case .kvType: kvType = text().flatMap(KVCacheType.init(rawValue:))
        case .draftHead: draftHead = integer().map { .rows($0) } ?? text().flatMap(DraftHeadRequest.init)
        case .exitLayer: exitLayer = integer()
        case .depth: depth = integer()
        case .mode: mode = text().flatMap(DecodingMode.init(rawValue:))
        case .threshold: dynamicThreshold = number()
        case .temperature: temperature = number()
        case .topK: topK = integer()
        case .topP: topP = number()
        case .minP: minP = number()
        case .repetitionPenalty: repetitionPenalty = number()
        case .seed: if case .seed(let n)? = value { seed = n } else { seed = nil }
        case .maxTokens: maxTokens = integer()
        case .context: context = integer()
        case .system: systemPrompt = text()
        case .theme: theme = text()
        case .ghostText: if case .onOff(let on)? = value { ghostText = on } else { ghostText = nil }
        case .kernels, .greedy: break   // the environment; a flag folded into temperature 0
        }
    }

    /// One line per knob whose value is out of range (`Knob.problem`), each starting with
    /// `naming(knob)` ("--exit-layer must be below the model's 30 layers (got 40)").
    public func problems(model: ModelBounds?, naming: (Knob) -> String) -> [String] {
        Knob.table.compactMap { knob in
            guard let value = value(of: knob.id), let problem = knob.problem(value, model: model) else { return nil }
            return "\(naming(knob)) \(problem)"
        }
    }

    /// These options without the values `problems` reports.
    public func withoutProblems(model: ModelBounds?) -> ChatOptions {
        var result = self
        for knob in Knob.table {
            if let value = value(of: knob.id), knob.problem(value, model: model) != nil { result.set(knob.id, nil) }
        }
        return result
    }
}
