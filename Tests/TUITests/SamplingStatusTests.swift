import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// The status bar shows the sampling in use; flags and the config file override the model's.
final class SamplingStatusTests: XCTestCase {
    private func statusText(_ sampling: SamplingParameters) -> String {
        var settings = Fake.settings
        settings.sampling = sampling
        let state = ChatState(modelName: "SmolLM2-135M", layerCount: Fake.layerCount, contextLength: 8192, settings: settings,
                              session: ChatSession(model: "SmolLM2-135M", systemPrompt: nil), maxTokens: 256, showGhost: false,
                              lastSessionPath: "/tmp/skipchat-test-last.json")
        return StatusBar.line(state, width: 160, now: 100).map(\.text).joined()
    }

    func testStatusBarShowsSampling() {
        XCTAssertTrue(statusText(RecommendedSampling.smolLM2.parameters).contains("T 0.2 top-p 0.9 "))
        XCTAssertTrue(statusText(RecommendedSampling.llamaCpp.parameters).contains("T 0.8 top-k 40 top-p 0.95 min-p 0.05 "))
        XCTAssertTrue(statusText(SamplingParameters()).contains(" greedy "))
    }

    func testGreedyAndFlagsOverrideTheModelsSampling() {
        var defaults = Fake.settings
        defaults.sampling = RecommendedSampling.llamaCpp.parameters
        var greedy = ChatOptions()
        greedy.temperature = 0
        XCTAssertTrue(greedy.settings(over: defaults, layerCount: Fake.layerCount).sampling.isGreedy)
        var flags = ChatOptions()
        flags.topP = 0.5
        let config = try! ChatConfig.parse("temperature = 0.3\ntop_k = 0\n", source: "config.toml")
        let merged = flags.merged(over: config).settings(over: defaults, layerCount: Fake.layerCount).sampling
        XCTAssertEqual(merged, SamplingParameters(temperature: 0.3, topK: 0, topP: 0.5, minP: 0.05))
    }
}
