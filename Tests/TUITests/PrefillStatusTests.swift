import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// A slow prefill shows its progress in the status bar until the prompt is prefilled.
final class PrefillStatusTests: XCTestCase {
    func testStatusBarShowsPrefillProgressUntilPrefilled() {
        var state = ChatState(modelName: "SmolLM2-135M", layerCount: Fake.layerCount, contextLength: 8192, settings: Fake.settings,
                              session: ChatSession(model: "SmolLM2-135M", systemPrompt: nil), maxTokens: 256, showGhost: false,
                              lastSessionPath: "/tmp/skipchat-test-last.json")
        func status() -> String { StatusBar.line(state, width: 200, now: 100).map(\.text).joined() }
        _ = state.apply(.event(.started(promptTokens: 4001)))
        _ = state.apply(.event(.prefilling(done: 1000, total: 4000, seconds: 1.2)))
        XCTAssertTrue(status().contains("prefill 25% of 4000"), status())
        XCTAssertFalse(status().contains("tok/s"), status())
        _ = state.apply(.event(.prefilled(tokens: 4000, seconds: 4.8)))
        XCTAssertFalse(status().contains("prefill"), status())
        XCTAssertTrue(status().contains("tok/s"), status())
    }
}
