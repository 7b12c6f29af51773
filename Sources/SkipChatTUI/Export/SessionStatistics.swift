import SkipChatEngine

/// What the decoder did over a saved session, recomputed from the replies' tokens: the figures
/// of the stats panel (F2), for an export.
public struct SessionStatistics: Equatable, Sendable {
    /// Assistant messages.
    public var replies = 0
    /// Accepted drafts + verifier tokens.
    public var committedTokens = 0
    /// Drafts by position and committed tokens by exit layer.
    public var speculation: SpeculationTally

    /// Statistics of `session` for a model of `layerCount` layers (exit layers above it are
    /// counted at L).
    public init(session: ChatSession, layerCount: Int) {
        speculation = SpeculationTally(layerCount: max(1, layerCount))
        for message in session.messages where message.role == .assistant {
            replies += 1
            for (token, place) in zip(message.tokens, RoundPlace.places(of: message.tokens)) {
                if let index = place.draftIndex { speculation.recordDraft(index: index - 1, accepted: token.kind == .accepted) }
                if token.isCommitted {
                    committedTokens += 1
                    speculation.recordCommitted(exitLayer: token.exitLayer)
                }
            }
        }
    }

    /// Accepted + rejected drafts.
    public var draftedTokens: Int { speculation.draftedTokens }
    public var acceptedDrafts: Int { speculation.acceptedDrafts }
    /// draftedByPosition[i] / acceptedByPosition[i]: drafts at index i + 1 of their round.
    public var draftedByPosition: [Int] { speculation.draftedByPosition }
    public var acceptedByPosition: [Int] { speculation.acceptedByPosition }
    /// Committed tokens per exit layer: exitLayerCounts[l − 1] exited at layer l (1 … L).
    public var exitLayerCounts: [Int] { speculation.exitLayerCounts }

    /// Accepted ÷ drafted (nil: nothing drafted).
    public var acceptanceRate: Double? { speculation.acceptanceRate }

    /// Acceptance of the i-th draft of a round (index i − 1; a round's drafts come in order, so
    /// every position up to the longest round has drafts).
    public var acceptanceByPosition: [Double] { speculation.acceptanceByPosition.map { $0 ?? 0 } }

    /// Mean exit layer of committed tokens (nil: none).
    public var meanExitLayer: Double? { speculation.meanExitLayer }
}
