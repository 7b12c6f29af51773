import SkipChatEngine

/// Numbers the status bar and stats panel show: the generation in progress (or the last one)
/// and totals over the whole chat.
public struct LiveStats: Sendable {
    /// Statistics of the current or last generation.
    public private(set) var current: DecodingStats
    /// The latest round.
    public private(set) var lastRound: RoundSummary?
    /// Committed tokens per second of decoding, current or last generation.
    public private(set) var tokensPerSecond: Double = 0
    /// Prompt positions prefilled and to prefill while a slow prefill runs (nil otherwise).
    public private(set) var prefill: PrefillProgress?
    /// Tokens in the context (prompt + reply so far).
    public private(set) var contextTokens = 0
    /// The auto tuner's latest state (kept across generations; nil before the first auto round).
    public private(set) var tuner: TunerState?
    /// Speculation over the chat's finished generations.
    private var finished: SpeculationTally
    private let layerCount: Int

    /// Creates empty statistics for a model with `layerCount` layers.
    public init(layerCount: Int) {
        self.layerCount = layerCount
        current = DecodingStats(layerCount: layerCount)
        finished = SpeculationTally(layerCount: layerCount)
    }

    /// Acceptance of the latest round (nil before the first drafted round).
    public var lastRoundAcceptance: Double? {
        guard let round = lastRound, round.drafted > 0 else { return nil }
        return Double(round.accepted) / Double(round.drafted)
    }

    /// Speculation over the whole chat, the generation in progress included.
    public var session: SpeculationTally { finished.adding(current.speculation) }

    /// Acceptance over the whole chat (nil before anything was drafted).
    public var sessionAcceptance: Double? { session.acceptanceRate }

    /// Acceptance of the i-th draft of a round, over the whole chat (nil: never drafted).
    public var acceptanceByPosition: [Double?] { session.acceptanceByPosition }

    /// Committed tokens per exit layer (index l−1), over the whole chat.
    public var exitLayerCounts: [Int] { session.exitLayerCounts }

    /// Applies one decoder event.
    public mutating func apply(_ event: DecoderEvent) {
        switch event {
        case .started(let promptTokens):
            current = DecodingStats(layerCount: layerCount)
            lastRound = nil
            prefill = nil
            contextTokens = promptTokens
        case .verified(let round, _, _, _, _):
            lastRound = round
        case .stats(let stats):
            current = stats
            if let t = stats.tuner { tuner = t }
            tokensPerSecond = stats.tokensPerSecond
            contextTokens = stats.promptTokens + stats.committedTokens
        case .finished(_, _, let stats):
            contextTokens = stats.promptTokens + stats.committedTokens
            finished.add(stats.speculation)
            tokensPerSecond = stats.tokensPerSecond
            current = DecodingStats(layerCount: layerCount)
        case .prefilling(let done, let total, _):
            prefill = PrefillProgress(done: done, total: total)
        case .prefilled:
            prefill = nil
        case .draft, .committed:
            break
        }
    }
}

/// How far a slow prefill has got: `done` of `total` prompt positions.
public struct PrefillProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int
}
