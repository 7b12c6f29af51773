import Foundation
import XCTest
@testable import SkipChatEngine

/// Greedy self-speculative output equals plain greedy output token for token (issue 3 invariants
/// a, c, d), for every exit layer and depth.
final class DecoderExactnessTests: XCTestCase {
    typealias S = DecoderTestSupport

    func checkEveryExitAndDepth(_ model: LanguageModel, prompt: [Int32], maxTokens: Int, depths: ClosedRange<Int>) throws {
        let plain = try S.run(GenerationSession(model: model), prompt: prompt,
                              settings: S.settings(model, mode: .autoregressive), maxTokens: maxTokens).tokens
        XCTAssertFalse(plain.isEmpty)
        // One session for every setting: also exercises reuse of the cached prompt.
        let session = GenerationSession(model: model)
        for e in 1..<model.config.layerCount {
            for k in depths {
                let (spec, events) = try S.run(session, prompt: prompt, settings: S.settings(model, mode: .fixed, exit: e, depth: k),
                                               maxTokens: maxTokens)
                XCTAssertEqual(spec, plain, "exit layer \(e), depth \(k)")
                let drafted = events.contains { if case .draft = $0 { true } else { false } }
                XCTAssertTrue(drafted || plain.count == 1, "exit layer \(e), depth \(k): no drafts were made")
            }
        }
    }

    func testFixtureGGUFEveryExitLayerAndDepth() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        try checkEveryExitAndDepth(model, prompt: [1, 40, 75, 260, 111], maxTokens: 40, depths: 1...8)
    }

    /// The fast precision (int8 activations) changes logits, not the contract: within it, greedy
    /// self-speculation still equals plain greedy decoding.
    func testFastPrecisionEveryExitLayerAndDepth() throws {
        try KernelSelection.withKernels(environment: [:], precision: .fast) {
            let model = try S.fixtureModel("tiny-llama.gguf")
            try checkEveryExitAndDepth(model, prompt: [1, 40, 75, 260, 111], maxTokens: 40, depths: 1...8)
        }
    }

    /// Drafts, verification and plain decoding round keys and values into the cache the same way
    /// for every KV cache type, so the contract holds for each.
    func testEveryKVCacheTypeEveryExitLayerAndDepth() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        for type in KVCacheType.allCases {
            try KVCacheType.with(type) {
                try checkEveryExitAndDepth(model, prompt: [1, 40, 75, 260, 111], maxTokens: 40, depths: 1...8)
            }
        }
    }

    func testFixtureMixedQuantGGUFEveryExitLayerAndDepth() throws {
        let model = try S.fixtureModel("tiny-llama-mixed-quants.gguf")
        try checkEveryExitAndDepth(model, prompt: [1, 40, 75, 260, 111], maxTokens: 40, depths: 1...8)
    }

    func testFixtureHuggingFaceEveryExitLayerAndDepth() throws {
        let model = try S.fixtureModel("tiny-llama-hf")
        try checkEveryExitAndDepth(model, prompt: [1, 40, 75, 260, 111], maxTokens: 40, depths: 1...8)
    }

    func testDefaultModelEveryExitLayerAndDepth() throws {
        let model = try S.defaultModel()
        try checkEveryExitAndDepth(model, prompt: S.chatPrompt(model, "What is the capital of France?"),
                                   maxTokens: 12, depths: 1...8)
    }

    /// Changing exit layer, depth and mode between rounds (as the UI does) keeps the output exact.
    func testKnobChangesBetweenRoundsKeepOutputExact() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        let prompt: [Int32] = [1, 40, 75, 260, 111]
        let plain = try S.run(GenerationSession(model: model), prompt: prompt,
                              settings: S.settings(model, mode: .autoregressive), maxTokens: 60).tokens
        var rng = SeededGenerator(seed: 7)
        let modes: [DecodingMode] = [.fixed, .dynamic, .auto, .autoregressive]
        for trial in 0..<20 {
            let (tokens, _) = try S.run(GenerationSession(model: model), prompt: prompt,
                                        settings: S.settings(model, mode: .fixed, exit: 2, depth: 3), maxTokens: 60) { event, knobs in
                guard case .verified = event else { return }
                knobs.update { s in
                    s.mode = modes[Int(rng.next() % 4)]
                    s.exitLayer = 1 + Int(rng.next() % UInt64(model.config.layerCount - 1))
                    s.depth = 1 + Int(rng.next() % 8)
                    s.maxExitLayer = 1 + Int(rng.next() % UInt64(model.config.layerCount - 1))
                    s.dynamicThreshold = Float(rng.next() % 100) / 100
                }
            }
            XCTAssertEqual(tokens, plain, "trial \(trial)")
        }
    }

    func testDynamicAndAutoModesAreExact() throws {
        let model = try S.fixtureModel("tiny-llama-hf")
        let prompt: [Int32] = [1, 40, 75, 260, 111]
        let plain = try S.run(GenerationSession(model: model), prompt: prompt,
                              settings: S.settings(model, mode: .autoregressive), maxTokens: 50).tokens
        for threshold in [Float(0), 0.05, 0.2, 0.5, 1] {
            for maxExit in 1..<model.config.layerCount {
                var s = S.settings(model, mode: .dynamic, depth: 5)
                s.dynamicThreshold = threshold
                s.maxExitLayer = maxExit
                XCTAssertEqual(try S.run(GenerationSession(model: model), prompt: prompt, settings: s, maxTokens: 50).tokens,
                               plain, "dynamic threshold \(threshold), max exit \(maxExit)")
            }
        }
        XCTAssertEqual(try S.run(GenerationSession(model: model), prompt: prompt,
                                 settings: S.settings(model, mode: .auto), maxTokens: 50).tokens, plain)
    }

    /// The end-of-turn token ends generation also when it arrives as an (accepted) draft. Uses the
    /// committed LayerSkip-trained model (models/tiny-layerskip), whose early exits draft well.
    func testDraftedEndOfTurnEndsGeneration() throws {
        let model = try S.layerSkipModel()
        let prompt = S.chatPrompt(model, "hi! how are you doing today?")
        let plain = try S.run(GenerationSession(model: model), prompt: prompt,
                              settings: S.settings(model, mode: .autoregressive), maxTokens: 64).tokens
        XCTAssertEqual(plain.last, model.tokenizer.eosID, "the plain reply should end with EOS")
        var sawDraftedEnd = false
        for e in 1..<model.config.layerCount {
            for k in [2, 4, 8] {
                let (tokens, events) = try S.run(GenerationSession(model: model), prompt: prompt,
                                                 settings: S.settings(model, mode: .fixed, exit: e, depth: k), maxTokens: 64)
                XCTAssertEqual(tokens, plain, "exit layer \(e), depth \(k)")
                guard case let .finished(reason, _, _)? = events.last else { return XCTFail("no finished event") }
                XCTAssertEqual(reason, .endOfTurn)
                for case let .verified(_, accepted, _, _, _) in events
                    where accepted.contains(where: { model.tokenizer.endOfTurnIDs.contains($0.id) }) {
                    sawDraftedEnd = true
                }
            }
        }
        XCTAssertTrue(sawDraftedEnd, "no setting drafted the end-of-turn token; the test did not exercise it")
    }

    func testFranceQuestionAnswersParis() throws {
        let model = try S.defaultModel()
        let tokens = try S.run(GenerationSession(model: model), prompt: S.chatPrompt(model, "What is the capital of France?"),
                               settings: S.settings(model, mode: .autoregressive), maxTokens: 32).tokens
        let text = String(decoding: try model.tokenizer.decode(tokens), as: UTF8.self)
        XCTAssertTrue(text.contains("Paris"), text)
    }
}
