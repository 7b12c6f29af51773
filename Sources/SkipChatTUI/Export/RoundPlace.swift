import SkipChatEngine

/// Where a reply token stood in self-speculative decoding: its round and, for a draft, its
/// index among the round's drafts.
public struct RoundPlace: Equatable, Sendable {
    /// Round of the reply, 1-based.
    public var round: Int
    /// 1-based index among the round's drafts (accepted and rejected); nil for verifier tokens.
    public var draftIndex: Int?
}

public extension RoundPlace {
    /// The place of each of `tokens` (one reply, in saved order: per round the accepted drafts,
    /// the rejected drafts, then the verifier's token). Rounds come from the tokens when every one
    /// records its round; older sessions have them recovered from that order: a round ends after
    /// its verifier token, or where an accepted draft follows a rejected one.
    static func places(of tokens: [SavedToken]) -> [RoundPlace] {
        let recorded = tokens.allSatisfy { $0.round != nil }
        var places: [RoundPlace] = []
        places.reserveCapacity(tokens.count)
        var round = 0
        var draftIndex = 0
        var previous: SavedToken?
        for token in tokens {
            let startsRound: Bool
            if recorded {
                startsRound = previous?.round != token.round
            } else {
                startsRound = previous == nil || previous?.kind == .verifier
                    || (token.kind == .accepted && previous?.kind == .rejected)
            }
            if startsRound {
                round = recorded ? token.round! : round + 1
                draftIndex = 0
            }
            if token.kind == .accepted || token.kind == .rejected {
                draftIndex += 1
                places.append(RoundPlace(round: round, draftIndex: draftIndex))
            } else {
                places.append(RoundPlace(round: round, draftIndex: nil))
            }
            previous = token
        }
        return places
    }
}
