import Foundation
import XCTest
@testable import SkipChatEngine

/// Greedy self-speculative output equals plain greedy output with a reduced draft head, at
/// several exit layers and depths: the head changes drafts, never the verified output.
final class DraftHeadExactnessTests: XCTestCase {
    typealias S = DecoderTestSupport

    private func check(_ model: LanguageModel, prompt: [Int32], exits: [Int], depths: [Int], maxTokens: Int) throws {
        let plainModel = try LanguageModel(file: model.file, threads: 2, adapters: false, draftHead: .full)
        let plain = try S.run(GenerationSession(model: plainModel), prompt: prompt,
                              settings: S.settings(plainModel, mode: .autoregressive), maxTokens: maxTokens).tokens
        XCTAssertFalse(plain.isEmpty)
        let head = try XCTUnwrap(model.draftHead)
        let session = GenerationSession(model: model)
        XCTAssertTrue(session.forward.draftHead === head)
        for e in exits {
            for k in depths {
                let (spec, events) = try S.run(session, prompt: prompt, settings: S.settings(model, mode: .fixed, exit: e, depth: k),
                                               maxTokens: maxTokens)
                XCTAssertEqual(spec, plain, "exit layer \(e), depth \(k)")
                let drafts = events.compactMap { event -> Int32? in if case let .draft(t) = event { t.id } else { nil } }
                XCTAssertTrue(!drafts.isEmpty || plain.count == 1, "exit layer \(e), depth \(k): no drafts")
                XCTAssertTrue(Set(drafts).isSubset(of: Set(head.ids)), "exit layer \(e), depth \(k): a draft outside the head")
            }
        }
    }

    func testFixtureModelWithASmallHead() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tiny-llama.gguf", withExtension: nil))
        let file = try ModelFile.open(path: url.path)
        let model = try LanguageModel(file: file, threads: 2, draftHead: .rows(file.weights.lmHead.rows / 4))
        let layers = model.config.layerCount
        try check(model, prompt: [1, 40, 75, 260, 111], exits: Array(Set([1, layers / 2, layers - 1])).sorted(),
                  depths: [1, 2, 4, 8], maxTokens: 40)
    }

    /// The default model with its corpus head (no sidecar), at shallow, middle and deep exits.
    func testDefaultModelWithTheAutoHead() throws {
        guard FileManager.default.fileExists(atPath: LanguageModel.defaultModelPath) else { throw XCTSkip("default model not installed") }
        let model = try LanguageModel.load(path: nil, threads: 2, adapters: false)
        XCTAssertEqual(model.draftHeadInfo.source, .corpus)
        try check(model, prompt: S.chatPrompt(model, "What is the capital of France?"), exits: [4, 10, 15, 27],
                  depths: [1, 2, 4], maxTokens: 12)
    }
}

/// Speculative sampling with a reduced draft head keeps the model's distribution: q is a
/// distribution over the head's ids only (q(x) = 0 elsewhere, never proposed), and the
/// rejection residual max(0, p − q) carries p's mass outside them.
extension SamplingDistributionTests {
    func testSpeculativeSamplingWithAReducedDraftHead() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tiny-llama.gguf", withExtension: nil))
        let file = try ModelFile.open(path: url.path)
        let model = try LanguageModel(file: file, threads: 2, draftHead: .rows(file.weights.lmHead.rows / 4))
        XCTAssertNotNil(model.draftHead)
        let sampling = SamplingParameters(temperature: 1.0, topK: 8)
        let plain = try histogram(model, settings: S.settings(model, mode: .autoregressive, sampling: sampling), runs: 2000, index: 1)
        let spec = try histogram(model, settings: S.settings(model, mode: .fixed, exit: 1, depth: 3, sampling: sampling),
                                 runs: 2000, index: 1)
        // The head leaves out some of p's likely ids, so the residual path is exercised.
        XCTAssertFalse(Set(plain.keys).isSubset(of: Set(model.draftHead?.ids ?? [])))
        let (stat, df) = chiSquare(plain, spec)
        XCTAssertGreaterThan(df, 1)
        XCTAssertLessThan(stat, critical(df), "χ² = \(stat) with \(df) degrees of freedom")
    }
}
