import SkipChatEngine

/// A change to the live decoder settings, from a key or a slash command.
public enum KnobChange: Equatable, Sendable {
    case exitLayer(by: Int)
    case setExitLayer(Int)
    case depth(by: Int)
    case setDepth(Int)
    case nextMode
    case setMode(DecodingMode)
    case threshold(by: Float)
    case setThreshold(Float)
    case temperature(by: Float)
    case setTemperature(Float)
}

/// The ranges the knobs move in, for a model with `layerCount` layers.
public struct KnobLimits: Equatable, Sendable {
    public var layerCount: Int

    /// Creates limits for a model with `layerCount` layers.
    public init(layerCount: Int) { self.layerCount = layerCount }

    /// Exit layers a draft may use: 1 … L−1.
    public var exitLayers: ClosedRange<Int> { 1...max(1, layerCount - 1) }
    /// Speculation depths: 1 … DecoderSettings.maxDepth.
    public var depths: ClosedRange<Int> { 1...DecoderSettings.maxDepth }
    public static let thresholds: ClosedRange<Float> = 0.05...1
    public static let temperatures: ClosedRange<Float> = 0...2

    /// `settings` with every knob inside its range.
    public func clamped(_ settings: DecoderSettings) -> DecoderSettings {
        var s = settings
        s.exitLayer = s.exitLayer.clamped(to: exitLayers)
        s.maxExitLayer = s.maxExitLayer.clamped(to: exitLayers)
        s.depth = s.depth.clamped(to: depths)
        s.dynamicThreshold = s.dynamicThreshold.clamped(to: Self.thresholds)
        s.sampling.temperature = s.sampling.temperature.clamped(to: Self.temperatures)
        return s
    }

    /// `settings` after `change`, clamped. Fractional knobs are rounded to their step so that
    /// repeated presses land on round values. Changing the exit layer or the depth in auto or
    /// autoregressive mode switches to fixed mode: the user takes over from the tuner.
    public func applying(_ change: KnobChange, to settings: DecoderSettings) -> DecoderSettings {
        var s = settings
        switch change {
        case .exitLayer, .setExitLayer, .depth, .setDepth:
            if s.mode == .auto || s.mode == .autoregressive { s.mode = .fixed }
        default:
            break
        }
        switch change {
        case .exitLayer(let delta): s.exitLayer += delta
        case .setExitLayer(let value): s.exitLayer = value
        case .depth(let delta): s.depth += delta
        case .setDepth(let value): s.depth = value
        case .nextMode:
            let all = DecodingMode.allCases
            s.mode = all[((all.firstIndex(of: s.mode) ?? 0) + 1) % all.count]
        case .setMode(let mode): s.mode = mode
        case .threshold(let delta): s.dynamicThreshold = ((s.dynamicThreshold + delta) * 20).rounded() / 20
        case .setThreshold(let value): s.dynamicThreshold = value
        case .temperature(let delta): s.sampling.temperature = ((s.sampling.temperature + delta) * 10).rounded() / 10
        case .setTemperature(let value): s.sampling.temperature = value
        }
        return clamped(s)
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
