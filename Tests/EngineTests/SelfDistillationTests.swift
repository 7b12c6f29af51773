import Foundation
import XCTest
@testable import SkipChatCalibration
@testable import SkipChatEngine

/// `CalibrationCorpus.selfDistilled`: the model's own greedy replies replace the corpus's, for
/// exactly the documents that calibration then uses.
final class SelfDistillationTests: XCTestCase {
    private func corpus() -> CalibrationCorpus {
        let documents: [CalibrationCorpus.Document] = (0..<60).map { i in
            i % 7 == 3 ? .text("plain text \(i) is kept as it is")
                : .conversation([ChatMessage(role: "user", content: "question \(i)?"),
                                 ChatMessage(role: "assistant", content: "human answer \(i)"),
                                 ChatMessage(role: "user", content: "follow-up \(i)")])
        }
        return CalibrationCorpus(source: "test", documents: documents)
    }

    func testRepliesAreTheModelsGreedyReplies() throws {
        let model = try DecoderTestSupport.fixtureModel("tiny-llama.gguf")
        let original = corpus()
        let distilled = try original.selfDistilled(model: model, trainTokens: 80, heldoutTokens: 20, maxReplyTokens: 6)
        XCTAssertEqual(distilled.source, "test (self-distilled)")
        XCTAssertLessThanOrEqual(distilled.documents.count, original.documents.count)

        let session = GenerationSession(model: model)
        var converted = 0
        for (i, document) in distilled.documents.enumerated() where document != original.documents[i] {
            guard case let .conversation(messages) = document, case let .conversation(before) = original.documents[i] else {
                return XCTFail("document \(i) changed kind")
            }
            // The prompt is what preceded the first assistant message; later turns are dropped.
            XCTAssertEqual(messages.count, 2)
            XCTAssertEqual(messages.first, before.first)
            XCTAssertEqual(messages.last?.role, "assistant")
            let prompt = model.promptTokens([before[0]])
            let reply = try DecoderTestSupport.run(session, prompt: prompt, settings: DecoderTestSupport.settings(model, mode: .autoregressive),
                                                   maxTokens: 6).tokens
            let text = try model.tokenizer.decode(reply.filter { !model.tokenizer.endOfTurnIDs.contains($0) })
            XCTAssertEqual(messages.last?.content, String(decoding: text, as: UTF8.self), "document \(i)")
            converted += 1
        }
        XCTAssertGreaterThan(converted, 3)

        // Calibration with the same budgets uses the distilled replies only, and every one of them.
        let (train, heldout) = distilled.sequences(for: model, trainTokens: 80, heldoutTokens: 20)
        XCTAssertGreaterThanOrEqual(train.reduce(0) { $0 + $1.scoredCount }, 80)
        XCTAssertGreaterThanOrEqual(heldout.reduce(0) { $0 + $1.scoredCount }, 20)
        var conversations = 0
        for sequence in train + heldout {
            let text = String(decoding: try model.tokenizer.decode(sequence.tokens), as: UTF8.self)
            XCTAssertFalse(text.contains("human answer"), text)
            if text.contains("question") { conversations += 1 }
        }
        XCTAssertEqual(conversations, converted)
    }
}
