import SkipChatEngine

/// Builds a reply from the decoder's events, following the text rule of `DecoderEvent`:
/// drafts are provisional; a verification retracts the rejected drafts' bytes, commits what is
/// left, then appends the verifier's token. Retracted text is kept as `.rejected` ghost tokens.
public struct ReplyBuilder: Equatable, Sendable {
    /// Committed tokens and rejected ghosts, in order.
    public private(set) var tokens: [SavedToken] = []
    /// Drafts of the round in progress (not yet verified).
    public private(set) var provisional: [SavedToken] = []

    /// Creates an empty reply.
    public init() {}

    /// The committed text so far.
    public var committedText: String { tokens.lazy.filter(\.isCommitted).map(\.text).joined() }

    /// Applies one event (events other than tokens are ignored).
    public mutating func apply(_ event: DecoderEvent) {
        switch event {
        case .draft(let token):
            provisional.append(Self.saved(token, kind: .draft))
        case .verified(_, let accepted, _, let verifierToken, let retractedBytes):
            commitRound(acceptedCount: accepted.count, retractedBytes: retractedBytes)
            if let verifierToken { tokens.append(Self.saved(verifierToken, kind: .verifier)) }
        case .committed(let token):
            tokens.append(Self.saved(token, kind: token.kind == .draft ? .verifier : token.kind))
        case .finished:
            provisional = []
        case .started, .prefilling, .prefilled, .stats:
            break
        }
    }

    /// Ends a round: the first `acceptedCount` drafts are committed, the rest become ghosts.
    /// Text follows the bytes: `retractedBytes` come off the end of the provisional text (a token
    /// can end inside a character, so they need not match the rejected tokens one to one); what
    /// stays is committed, what goes is shown as the ghosts' text.
    private mutating func commitRound(acceptedCount: Int, retractedBytes: Int) {
        var kept = provisional.map { Array($0.text.utf8) }
        var removed = Array(repeating: [UInt8](), count: kept.count)
        var remaining = retractedBytes
        for index in kept.indices.reversed() where remaining > 0 {
            let cut = min(remaining, kept[index].count)
            removed[index] = Array(kept[index].suffix(cut))
            kept[index].removeLast(cut)
            remaining -= cut
        }
        let split = min(acceptedCount, provisional.count)
        var leftover: [UInt8] = []
        for (index, var token) in provisional.enumerated() {
            if index < split {
                token.kind = .accepted
                token.text = String(decoding: kept[index], as: UTF8.self)
                tokens.append(token)
            } else {
                leftover += kept[index]
                token.kind = .rejected
                token.text = String(decoding: removed[index], as: UTF8.self)
                tokens.append(token)
            }
        }
        if !leftover.isEmpty, let last = tokens.lastIndex(where: \.isCommitted) {
            tokens[last].text += String(decoding: leftover, as: UTF8.self)
        }
        provisional = []
    }

    private static func saved(_ token: TokenEvent, kind: TokenKind) -> SavedToken {
        SavedToken(id: token.id, text: token.text, exitLayer: token.exitLayer, kind: kind, position: token.position,
                   round: token.round)
    }
}
