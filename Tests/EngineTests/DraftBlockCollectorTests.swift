import Foundation
import XCTest
@testable import SkipChatCalibration
@testable import SkipChatEngine

/// `calibrate --collect`: self-distilled sequences with the layer-E states drafting computes, the
/// final layer's normed states and argmax, and teacher-forced texts, written as safetensors.
final class DraftBlockCollectorTests: XCTestCase {
    typealias S = DecoderTestSupport

    func testCollectsWhatDraftingComputes() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        let c = model.config
        let prompts = [StyledPrompt(style: "b", text: "the cat sat"), StyledPrompt(style: "a", text: "on a mat")]
        var data = try DraftBlockCollector.collect(model: model, prompts: prompts, exitLayer: 2, maxReplyTokens: 6,
                                                   sampledTemperature: 1, sampledEvery: 2, draftVocabulary: 16)
        XCTAssertEqual(data.styles, ["a", "b"])
        XCTAssertEqual(data.sequenceStyles, [1, 1, 0], "prompt 0 greedy + sampled, prompt 1 greedy")
        XCTAssertEqual(data.sequencePrompts, [0, 0, 1])
        XCTAssertEqual(data.states.count, data.positions * c.hiddenSize)
        XCTAssertEqual(data.teacher.count, data.positions * c.hiddenSize)
        XCTAssertLessThanOrEqual(data.draftVocabulary.count, 16)
        XCTAssertTrue(model.tokenizer.endOfTurnIDs.allSatisfy { data.draftVocabulary.contains($0) || Int($0) >= model.weights.lmHead.rows })

        // The first sequence again, position by position as drafting runs it.
        let first = Array(data.tokens[0..<data.sequenceStarts[1]])
        let forward = ForwardPass(model: model.llama, maxBatch: 1)
        let row = UnsafeMutablePointer<Float>.allocate(capacity: c.hiddenSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: model.weights.lmHead.rows)
        defer { row.deallocate(); logits.deallocate() }
        for (t, token) in first.enumerated() {
            forward.embed([token], into: row)
            forward.runLayers(0..<2, hidden: row, count: 1, startPosition: t)
            for i in 0..<c.hiddenSize { XCTAssertEqual(data.states[t * c.hiddenSize + i], row[i], accuracy: 1e-4) }
            forward.runLayers(2..<c.layerCount, hidden: row, count: 1, startPosition: t)
            forward.logits(hidden: row, count: 1, into: logits)
            XCTAssertEqual(data.teacherArgmax[t], LogitsProcessor.argmax(logits, count: model.weights.lmHead.rows))
            // A greedy reply: each reply token is the final layer's argmax at the position before it.
            if data.trained[t] { XCTAssertEqual(first[t + 1], data.teacherArgmax[t], "position \(t)") }
        }
        XCTAssertTrue(data.trained.prefix(first.count).contains(true))

        let sequences = CalibrationTestSupport.sequences(count: 3, length: 20, vocab: 288, seed: 4)
        DraftBlockCollector.appendTexts(model: model, sequences: sequences, style: "text", draftVocabulary: 16, into: &data)
        XCTAssertEqual(data.styles, ["a", "b", "text"])
        XCTAssertEqual(data.sequenceCount, 6)
        XCTAssertEqual(Array(data.sequencePrompts.suffix(3)), (0..<3).map { DraftBlockCollector.textPromptBase + $0 })

        let path = try ModelFileTestSupport.scratchDirectory(for: self).appendingPathComponent("data.safetensors").path
        try data.write(to: path, model: model, ffnSize: 32, replies: "test")
        let tensors = Dictionary(uniqueKeysWithValues: try SafetensorsFile(file: try MappedFile(path: path)).tensors.map { ($0.name, $0) })
        XCTAssertEqual(tensors["states"]?.shape, [data.positions, c.hiddenSize])
        XCTAssertEqual(tensors["teacher"]?.shape, [data.positions, c.hiddenSize])
        XCTAssertEqual(tensors["sequence_starts"]?.shape, [7])
        XCTAssertEqual(tensors["head"]?.shape, [data.draftVocabulary.count, c.hiddenSize])
        XCTAssertEqual(tensors["layer.attn_q"]?.shape, [c.headCount * c.headDim, c.hiddenSize])
        XCTAssertEqual(tensors["layer.ffn_norm"]?.shape, [c.hiddenSize])
    }
}
