import SkipChatEngine

/// A change to the live decoder settings, from a key or a slash command.
public enum KnobChange: Equatable, Sendable {
    /// Moves a knob by `steps` of its key step (`KnobKeys.steps`), or a `.cycle` knob by `steps`
    /// values round its list; stops at the ends of the range.
    case step(KnobID, by: Int)
    /// Sets a knob (`Knob.problem` tells first whether the value is in range).
    case set(KnobID, KnobValue)

    /// The knob it changes.
    public var knob: KnobID {
        switch self {
        case .step(let id, _), .set(let id, _): id
        }
    }
}

/// The ranges the live knobs move in (`Knob.table`), for a model with `layerCount` layers.
public struct KnobLimits: Equatable, Sendable {
    public var layerCount: Int

    /// Creates limits for a model with `layerCount` layers.
    public init(layerCount: Int) { self.layerCount = layerCount }

    /// `settings` with every knob inside its range (settings read from a session of another model).
    public func clamped(_ settings: DecoderSettings) -> DecoderSettings {
        var s = settings
        let layers = Knob[.exitLayer].range
        s.exitLayer = layers.clamp(s.exitLayer, layerCount: layerCount)
        s.maxExitLayer = layers.clamp(s.maxExitLayer, layerCount: layerCount)
        s.depth = Knob[.depth].range.clamp(s.depth, layerCount: layerCount)
        s.dynamicThreshold = Knob[.threshold].range.clamp(s.dynamicThreshold)
        s.sampling.temperature = Knob[.temperature].range.clamp(s.sampling.temperature)
        s.sampling.topK = Knob[.topK].range.clamp(s.sampling.topK, layerCount: layerCount)
        s.sampling.topP = Knob[.topP].range.clamp(s.sampling.topP)
        s.sampling.minP = Knob[.minP].range.clamp(s.sampling.minP)
        s.sampling.repetitionPenalty = Knob[.repetitionPenalty].range.clamp(s.sampling.repetitionPenalty)
        return s
    }

    /// `settings` after `change`. A `.set` must be in range (`Knob.problem`); a `.step` stops at the
    /// ends, and a fractional knob lands on a multiple of its step so repeated presses give round
    /// values. Changing the exit layer or the depth in auto or autoregressive mode switches to
    /// fixed mode: the user takes over from the tuner.
    public func applying(_ change: KnobChange, to settings: DecoderSettings) -> DecoderSettings {
        var s = settings
        if change.knob == .exitLayer || change.knob == .depth, s.mode == .auto || s.mode == .autoregressive { s.mode = .fixed }
        let knob = Knob[change.knob]
        switch change {
        case .set(let id, let value):
            s.set(id, value)
        case .step(let id, let steps):
            guard let current = s.value(of: id) else { return s }
            switch (knob.keys, current) {
            case (.steps(_, _, let step)?, .integer(let n)):
                s.set(id, .integer(knob.range.clamp(n + steps * Int(step), layerCount: layerCount)))
            case (.steps(_, _, let step)?, .number(let x)):
                let perUnit = (1 / step).rounded()
                s.set(id, .number(knob.range.clamp(((x + Float(steps) * step) * perUnit).rounded() / perUnit)))
            case (.cycle?, .word(let word)):
                guard case .words(let words, _) = knob.range, let index = words.firstIndex(of: word) else { return s }
                s.set(id, .word(words[((index + steps) % words.count + words.count) % words.count]))
            default:
                break
            }
        }
        return s
    }
}

extension DecoderSettings {
    /// The value of a knob the decoder reads live; nil for the others.
    func value(of id: KnobID) -> KnobValue? {
        switch id {
        case .exitLayer: .integer(exitLayer)
        case .depth: .integer(depth)
        case .mode: .word(mode.rawValue)
        case .threshold: .number(dynamicThreshold)
        case .temperature: .number(sampling.temperature)
        case .topK: .integer(sampling.topK)
        case .topP: .number(sampling.topP)
        case .minP: .number(sampling.minP)
        case .repetitionPenalty: .number(sampling.repetitionPenalty)
        case .seed: .seed(sampling.seed)
        case .model, .quantize, .threads, .precision, .kvType, .kernels, .draftHead, .greedy, .maxTokens, .context, .system, .theme, .ghostText: nil
        }
    }

    /// Sets a knob the decoder reads live; values of another type and other knobs are ignored.
    mutating func set(_ id: KnobID, _ value: KnobValue) {
        switch (id, value) {
        case (.exitLayer, .integer(let n)): exitLayer = n
        case (.depth, .integer(let n)): depth = n
        case (.mode, .word(let w)): if let m = DecodingMode(rawValue: w) { mode = m }
        case (.threshold, .number(let x)): dynamicThreshold = x
        case (.temperature, .number(let x)): sampling.temperature = x
        case (.topK, .integer(let n)): sampling.topK = n
        case (.topP, .number(let x)): sampling.topP = x
        case (.minP, .number(let x)): sampling.minP = x
        case (.repetitionPenalty, .number(let x)): sampling.repetitionPenalty = x
        case (.seed, .seed(let n)): sampling.seed = n
        default: break
        }
    }
}
