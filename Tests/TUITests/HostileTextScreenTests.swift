import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// Every view of the full-screen chat draws text from a model or a file through the sanitiser:
/// a frame with hostile text in the model name (status bar), a user message, a notice, drafts
/// (draft lane), rejected drafts (ghost text) and the reply holds no character a terminal acts on.
final class HostileTextScreenTests: XCTestCase {
    private let hostile = "\u{1b}]0;T\u{07}\u{1b}[2J\u{9b}\u{202E}"

    func testAFrameFullOfHostileTextHoldsNoControlCharacter() {
        var state = ChatState(modelName: "m" + hostile, layerCount: Fake.layerCount, contextLength: 8192,
                              settings: Fake.settings,
                              session: ChatSession(model: "m", systemPrompt: nil,
                                                   messages: [SessionMessage(role: .user, text: "u" + hostile)]),
                              maxTokens: 256, showGhost: true, lastSessionPath: "/tmp/skipchat-test-last.json")
        state.notice("n" + hostile, error: true)
        state.showStats = true
        _ = state.apply(.event(.started(promptTokens: 12)))
        _ = state.apply(.event(.draft(Fake.token("d" + hostile, id: 1, position: 12))))
        _ = state.apply(.event(.draft(Fake.token("r" + hostile, id: 2, position: 13))))
        _ = state.apply(.event(.verified(round: Fake.summary(round: 1, drafted: 2, accepted: 1),
                                         accepted: [Fake.token("d" + hostile, id: 1, kind: .accepted, position: 12)],
                                         rejected: [Fake.token("r" + hostile, id: 2, kind: .rejected, position: 13)],
                                         verifierToken: Fake.token("v" + hostile, id: 3, layer: 30, kind: .verifier, position: 13),
                                         retractedBytes: 0)))
        _ = state.apply(.event(.draft(Fake.token("x" + hostile, id: 4, position: 14))))
        let canvas = TextCanvas(rows: 40, columns: 160)
        _ = Screen().draw(state, on: canvas, now: 0)
        let text = canvas.text
        XCTAssertFalse(text.unicodeScalars.contains(where: TerminalText.isUnsafe), text)
        for shown in ["m\\x1b]0;T\\x07", "u\\x1b]0;T\\x07", "n\\x1b]0;T\\x07", "d\\x1b]0;T\\x07", "r\\x1b]0;T\\x07", "\\x9b\\u202e"] {
            XCTAssertTrue(text.contains(shown), "\(shown) not on screen:\n\(text)")
        }
    }
}
