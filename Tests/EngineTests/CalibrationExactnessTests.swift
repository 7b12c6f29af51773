import Foundation
import XCTest
@testable import SkipChatEngine

/// With exit adapters and a reduced draft head on, greedy self-speculative output still equals
/// plain greedy output (adapters change drafts only), and drafts do change.
final class CalibrationExactnessTests: XCTestCase {
    typealias S = DecoderTestSupport

    func testGreedyOutputIsExactWithAdaptersAndDraftHead() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        let (sidecar, _) = try CalibrationTestSupport.fit(model)
        let adapters = ExitAdapters(hiddenSize: model.config.hiddenSize, maps: sidecar.maps, source: "test")
        let head = DraftHead(head: model.weights.lmHead, ids: sidecar.draftVocabulary)
        let prompt: [Int32] = [1, 40, 75, 260, 111]
        let plain = try S.run(GenerationSession(model: model), prompt: prompt,
                              settings: S.settings(model, mode: .autoregressive), maxTokens: 40).tokens
        let session = GenerationSession(model: model)
        session.forward.exitAdapters = adapters
        session.forward.draftHead = head
        let bare = GenerationSession(model: model)
        var differentDrafts = false
        for e in 1..<model.config.layerCount {
            for k in [1, 2, 3, 5, 8] {
                let settings = S.settings(model, mode: .fixed, exit: e, depth: k)
                let (tokens, events) = try S.run(session, prompt: prompt, settings: settings, maxTokens: 40)
                XCTAssertEqual(tokens, plain, "exit layer \(e), depth \(k)")
                let drafts = events.compactMap { if case let .draft(token) = $0 { token.id } else { nil } }
                XCTAssertTrue(drafts.allSatisfy(head.ids.contains), "drafts outside the draft head")
                let bareDrafts = try S.run(bare, prompt: prompt, settings: settings, maxTokens: 40).events
                    .compactMap { if case let .draft(token) = $0 { token.id } else { nil } }
                if drafts != bareDrafts { differentDrafts = true }
            }
        }
        XCTAssertTrue(differentDrafts, "adapters never changed a draft; the test did not exercise them")
        var dynamic = S.settings(model, mode: .dynamic, depth: 4)
        dynamic.dynamicThreshold = 0.3
        XCTAssertEqual(try S.run(session, prompt: prompt, settings: dynamic, maxTokens: 40).tokens, plain, "dynamic")
    }
}
