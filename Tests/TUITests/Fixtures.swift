import SkipChatEngine
@testable import SkipChatTUI

/// Builders of fake decoder events and states, so the views can be tested without a model.
enum Fake {
    static let layerCount = 30

    static func token(_ text: String, id: Int32 = 7, layer: Int = 8, kind: TokenKind = .draft,
                      round: Int = 1, position: Int = 0) -> TokenEvent {
        TokenEvent(id: id, text: text, bytes: Array(text.utf8), exitLayer: layer, kind: kind, round: round, position: position)
    }

    static func summary(round: Int, drafted: Int, accepted: Int) -> RoundSummary {
        RoundSummary(round: round, drafted: drafted, accepted: accepted, exitLayer: 8, depth: 4, mode: .fixed, seconds: 0.01)
    }

    static let settings = DecoderSettings(mode: .fixed, exitLayer: 7, depth: 4, maxExitLayer: 22)

    static func state(messages: [SessionMessage] = []) -> ChatState {
        ChatState(modelName: "SmolLM2-135M", layerCount: layerCount, contextLength: 8192, settings: settings,
                  session: ChatSession(model: "SmolLM2-135M", systemPrompt: nil, messages: messages),
                  maxTokens: 256, showGhost: true, lastSessionPath: "/tmp/skipchat-test-last.json")
    }

    /// One round: drafts "The", " capital", " off" at layer 8; the verifier keeps two and says " of".
    static let round: [DecoderEvent] = [
        .started(promptTokens: 12),
        .draft(token("The", id: 1, position: 12)),
        .draft(token(" capital", id: 2, position: 13)),
        .draft(token(" off", id: 3, position: 14)),
        .verified(round: summary(round: 1, drafted: 3, accepted: 2),
                  accepted: [token("The", id: 1, kind: .accepted), token(" capital", id: 2, kind: .accepted)],
                  rejected: [token(" off", id: 3, kind: .rejected)],
                  verifierToken: token(" of", id: 4, layer: 30, kind: .verifier, position: 14),
                  retractedBytes: 4),
    ]
}

extension ChatState {
    /// Submits `line` and carries out its file effects as the front ends do (`SessionFiles`,
    /// outcomes back through `apply`); returns the other effects.
    mutating func submitPerformingFiles(_ line: String) -> [Effect] {
        var pending = submit(line, now: 0)
        var rest: [Effect] = []
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            if let outcome = SessionFiles.perform(effect, for: self) { pending += apply(outcome) } else { rest.append(effect) }
        }
        return rest
    }
}
