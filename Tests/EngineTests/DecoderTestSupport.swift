import Foundation
import XCTest
@testable import SkipChatEngine

/// Loading fixture and default models for decoder tests, and running one generation.
enum DecoderTestSupport {
    static func fixtureModel(_ name: String, threads: Int = 2) throws -> LanguageModel {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try LanguageModel(file: try ModelFile.open(path: url.path), threads: threads)
    }

    /// The default model, or XCTSkip when it is not installed.
    static func defaultModel() throws -> LanguageModel {
        guard FileManager.default.fileExists(atPath: LanguageModel.defaultModelPath) else {
            throw XCTSkip("default model not installed (run scripts/fetch-model.sh)")
        }
        return try LanguageModel.load(path: nil, threads: 2)
    }

    /// The LayerSkip-trained model committed in models/tiny-layerskip.
    static func layerSkipModel() throws -> LanguageModel {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try LanguageModel.load(path: root.appendingPathComponent("models/tiny-layerskip").path, threads: 2)
    }

    static func chatPrompt(_ model: LanguageModel, _ text: String) -> [Int32] {
        model.promptTokens([ChatMessage(role: "user", content: text)])
    }

    /// Generates with `settings`; `onEvent` may change the knobs between rounds.
    static func run(_ session: GenerationSession, prompt: [Int32], settings: DecoderSettings, maxTokens: Int,
                    onEvent: (DecoderEvent, DecoderKnobs) -> Void = { _, _ in }) throws -> (tokens: [Int32], events: [DecoderEvent]) {
        let knobs = DecoderKnobs(settings)
        var events: [DecoderEvent] = []
        let tokens = try session.generate(prompt: prompt, maxTokens: maxTokens, knobs: knobs) { event in
            events.append(event)
            onEvent(event, knobs)
        }
        return (tokens, events)
    }

    static func settings(_ model: LanguageModel, mode: DecodingMode, exit: Int = 1, depth: Int = 1,
                         sampling: SamplingParameters = SamplingParameters()) -> DecoderSettings {
        var s = model.defaultSettings()
        s.mode = mode
        s.exitLayer = exit
        s.depth = depth
        s.sampling = sampling
        return s
    }
}
