import SkipChatEngine

/// What the decoder did over a saved session, recomputed from the replies' tokens: the figures
/// of the stats panel (F2), for an export.
public struct SessionStatistics: Equatable, Sendable {
    /// Assistant messages.
    public var replies = 0
    /// Accepted drafts + verifier tokens.
    public var committedTokens = 0
    /// Accepted + rejected drafts.
    public var draftedTokens = 0
    public var acceptedDrafts = 0
    /// draftedByPosition[i] / acceptedByPosition[i]: drafts at index i + 1 of their round.
    public var draftedByPosition: [Int] = []
    public var acceptedByPosition: [Int] = []
    /// Committed tokens per exit layer: exitLayerCounts[l − 1] exited at layer l (1 … L).
    public var exitLayerCounts: [Int]

    /// Statistics of `session` for a model of `layerCount` layers (exit layers above it are
    /// counted at L).
    public init(session: ChatSession, layerCount: Int) {
        exitLayerCounts = Array(repeating: 0, count: max(1, layerCount))
        for message in session.messages where message.role == .assistant {
            replies += 1
            for (token, place) in zip(message.tokens, RoundPlace.places(of: message.tokens)) {
                if let index = place.draftIndex {
                    while draftedByPosition.count < index {
                        draftedByPosition.append(0)
                        acceptedByPosition.append(0)
                    }
                    draftedByPosition[index - 1] += 1
                    draftedTokens += 1
                    if token.kind == .accepted {
                        acceptedByPosition[index - 1] += 1
                        acceptedDrafts += 1
                    }
                }
                if token.isCommitted {
                    committedTokens += 1
                    exitLayerCounts[min(max(token.exitLayer, 1), exitLayerCounts.count) - 1] += 1
                }
            }
        }
    }

    /// Accepted ÷ drafted (nil: nothing drafted).
    public var acceptanceRate: Double? {
        draftedTokens == 0 ? nil : Double(acceptedDrafts) / Double(draftedTokens)
    }

    /// Acceptance of the i-th draft of a round (index i − 1; every entry has drafts).
    public var acceptanceByPosition: [Double] {
        zip(acceptedByPosition, draftedByPosition).map { Double($0) / Double($1) }
    }

    /// Mean exit layer of committed tokens (nil: none).
    public var meanExitLayer: Double? {
        let total = exitLayerCounts.reduce(0, +)
        guard total > 0 else { return nil }
        return Double(exitLayerCounts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(total)
    }
}
