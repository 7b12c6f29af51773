import SkipChatEngine

/// The drafts of the latest rounds: proposed, then marked accepted or rejected when the
/// verifier answers.
public struct DraftLane: Equatable, Sendable {
    /// One draft token as the lane shows it.
    public struct Chip: Equatable, Sendable {
        /// The token's text, made printable (newline ↵, tab ⇥, space ·).
        public var text: String
        public var layer: Int
        /// `.draft` while pending, then `.accepted`, `.rejected`, or `.verifier` for the correction.
        public var kind: TokenKind
    }

    /// One draft-and-verify round.
    public struct Round: Equatable, Sendable {
        public var number: Int
        public var chips: [Chip]
        /// True once the verifier has answered.
        public var resolved: Bool
        /// An auto-mode exploration round (known once verified): drafted while plain decoding
        /// was expected to be faster, to measure acceptance.
        public var exploring = false
    }

    /// The round being drafted or just verified.
    public private(set) var current: Round?
    /// The round before it (verified).
    public private(set) var previous: Round?

    /// Creates an empty lane.
    public init() {}

    /// Applies one decoder event.
    public mutating func apply(_ event: DecoderEvent) {
        switch event {
        case .started:
            current = nil
            previous = nil
        case .draft(let token):
            if current == nil || current?.resolved == true {
                if let done = current { previous = done }
                current = Round(number: token.round, chips: [], resolved: false)
            }
            current?.chips.append(Chip(text: Self.printable(token), layer: token.exitLayer, kind: .draft))
        case .verified(let round, let accepted, _, let verifierToken, _):
            guard var live = current, !live.resolved else { break }
            for index in live.chips.indices {
                live.chips[index].kind = index < accepted.count ? .accepted : .rejected
            }
            if let verifierToken {
                live.chips.append(Chip(text: Self.printable(verifierToken), layer: verifierToken.exitLayer, kind: .verifier))
            }
            live.number = round.round
            live.resolved = true
            live.exploring = round.exploring
            current = live
        case .committed, .prefilling, .prefilled, .stats, .finished:
            break
        }
    }

    /// A token's bytes as one printable chip.
    static func printable(_ token: TokenEvent) -> String {
        printable(text: String(decoding: token.bytes, as: UTF8.self))
    }

    /// Token text made printable on one line: newline ↵, tab ⇥, space ·, other controls and
    /// bidi overrides as their visible escapes (`TerminalText.visible`, e.g. `\x1b`).
    static func printable(text raw: String) -> String {
        var text = ""
        for character in raw {
            switch character {
            case "\n", "\r\n": text += "↵"
            case "\t": text += "⇥"
            case " ": text += "·"
            default:
                text += TerminalText.sanitized(String(character))
            }
        }
        return text.isEmpty ? "∅" : text
    }
}
