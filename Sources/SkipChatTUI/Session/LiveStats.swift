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
    /// Tokens in the context (prompt + reply so far).
    public private(set) var contextTokens = 0
    private var finishedDrafted = 0
    private var finishedAccepted = 0
    /// Drafts and acceptances by position, over the whole chat.
    private var finishedByPosition: [(drafted: Int, accepted: Int)] = []
    private var finishedExitCounts: [Int]

    /// Creates empty statistics for a model with `layerCount` layers.
    public init(layerCount: Int) {
        current = DecodingStats(layerCount: layerCount)
        finishedExitCounts = Array(repeating: 0, count: layerCount)
    }

    /// Acceptance of the latest round (nil before the first drafted round).
    public var lastRoundAcceptance: Double? {
        guard let round = lastRound, round.drafted > 0 else { return nil }
        return Double(round.accepted) / Double(round.drafted)
    }

    /// Acceptance over the whole chat (nil before anything was drafted).
    public var sessionAcceptance: Double? {
        let drafted = finishedDrafted + current.draftedTokens
        return drafted == 0 ? nil : Double(finishedAccepted + current.acceptedDrafts) / Double(drafted)
    }

    /// Acceptance of the i-th draft of a round, over the whole chat (nil: never drafted).
    public var acceptanceByPosition: [Double?] {
        let count = max(finishedByPosition.count, current.draftedByPosition.count)
        return (0..<count).map { i in
            let old: (drafted: Int, accepted: Int) = i < finishedByPosition.count ? finishedByPosition[i] : (0, 0)
            let drafted = old.drafted + (i < current.draftedByPosition.count ? current.draftedByPosition[i] : 0)
            let accepted = old.accepted + (i < current.acceptedByPosition.count ? current.acceptedByPosition[i] : 0)
            return drafted == 0 ? nil : Double(accepted) / Double(drafted)
        }
    }

    /// Committed tokens per exit layer (index l−1), over the whole chat.
    public var exitLayerCounts: [Int] {
        var counts = finishedExitCounts
        for (i, n) in current.exitLayerCounts.enumerated() where i < counts.count { counts[i] += n }
        return counts
    }

    /// Applies one decoder event.
    public mutating func apply(_ event: DecoderEvent) {
        switch event {
        case .started(let promptTokens):
            current = DecodingStats(layerCount: finishedExitCounts.count)
            lastRound = nil
            contextTokens = promptTokens
        case .verified(let round, _, _, _, _):
            lastRound = round
        case .stats(let stats):
            current = stats
            tokensPerSecond = stats.tokensPerSecond
            contextTokens = stats.promptTokens + stats.committedTokens
        case .finished(_, _, let stats):
            contextTokens = stats.promptTokens + stats.committedTokens
            finishedDrafted += stats.draftedTokens
            finishedAccepted += stats.acceptedDrafts
            for i in stats.draftedByPosition.indices {
                if i >= finishedByPosition.count { finishedByPosition.append((0, 0)) }
                finishedByPosition[i].drafted += stats.draftedByPosition[i]
                finishedByPosition[i].accepted += i < stats.acceptedByPosition.count ? stats.acceptedByPosition[i] : 0
            }
            for (i, n) in stats.exitLayerCounts.enumerated() where i < finishedExitCounts.count { finishedExitCounts[i] += n }
            tokensPerSecond = stats.tokensPerSecond
            current = DecodingStats(layerCount: finishedExitCounts.count)
        case .draft, .committed, .prefilled:
            break
        }
    }
}
