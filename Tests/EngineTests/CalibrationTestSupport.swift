import Foundation
import XCTest
@testable import SkipChatCalibration
@testable import SkipChatEngine

/// Fixture model copies, corpora and fitted sidecars for the calibration tests.
enum CalibrationTestSupport {
    /// A copy of tiny-llama.gguf (4 layers, hidden 64, vocab 288) in a fresh scratch directory,
    /// so sidecars can be written beside it.
    static func fixtureCopy(for test: XCTestCase) throws -> URL {
        let directory = try ModelFileTestSupport.scratchDirectory(for: test)
        let copy = directory.appendingPathComponent("tiny-llama.gguf")
        try FileManager.default.copyItem(at: try ModelFileTestSupport.fixture("tiny-llama.gguf"), to: copy)
        return copy
    }

    /// Deterministic pseudo-random token sequences below the fixture's vocabulary.
    static func sequences(count: Int, length: Int, vocab: Int, seed: UInt64) -> [CalibrationSequence] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            CalibrationSequence(tokens: [1] + (1..<length).map { _ in Int32(3 + rng.next() % UInt64(vocab - 3)) }, scored: [1..<length])
        }
    }

    /// A plain-text corpus of pseudo-random lowercase words.
    static func textCorpus(documents: Int, seed: UInt64) -> CalibrationCorpus {
        var rng = SeededGenerator(seed: seed)
        let words = ["the", "cat", "sat", "on", "a", "mat", "and", "then", "it", "ran", "away", "home", "to", "sleep"]
        let docs = (0..<documents).map { _ in
            CalibrationCorpus.Document.text((0..<60).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " "))
        }
        return CalibrationCorpus(source: "test words", documents: docs)
    }

    /// Calibrates every exit layer of `model` on `textCorpus` with a 64-token draft head.
    static func fit(_ model: LanguageModel) throws -> (DraftSidecarFile, CalibrationReport) {
        let options = CalibrationOptions(layers: Array(1..<model.config.layerCount), trainTokens: 3000, heldoutTokens: 400,
                                         draftVocabulary: 64)
        return try Calibrator.run(model: model, corpus: textCorpus(documents: 200, seed: 3), options: options)
    }
}
