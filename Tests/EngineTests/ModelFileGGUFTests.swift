import Foundation
import XCTest
@testable import SkipChatEngine

/// Loading the GGUF fixtures written by scripts/fixtures/make_model_fixtures.py.
final class ModelFileGGUFTests: XCTestCase {
    func testUntiedFixtureConfig() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama.gguf").path)
        XCTAssertEqual(model.config, LlamaConfig(
            layerCount: 4, hiddenSize: 64, ffnSize: 128, headCount: 4, kvHeadCount: 2, headDim: 16, vocabSize: 288,
            contextLength: 256, rmsNormEps: 1e-5, ropeTheta: 10_000, ropeScaling: nil, ropeStyle: .adjacentPairs,
            tiedEmbeddings: false))
        XCTAssertEqual(model.format, .gguf(version: 3))
        XCTAssertEqual(model.architecture, "llama")
        XCTAssertEqual(model.name, "skipchat tiny llama")
        XCTAssertEqual(model.metadata["llama.block_count"]?.int, 4)
        XCTAssertEqual(model.metadata["general.alignment"], nil)
        XCTAssertEqual(model.fileSize, try FileManager.default.attributesOfItem(atPath: model.path)[.size] as? Int)
    }

    func testUntiedFixtureWeights() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama.gguf").path)
        let w = model.weights
        XCTAssertEqual(w.layers.count, 4)
        XCTAssertEqual(w.tokenEmbedding.type, .q8_0)
        XCTAssertEqual([w.tokenEmbedding.rows, w.tokenEmbedding.cols], [288, 64])
        XCTAssertEqual(w.lmHead.name, "output.weight")
        XCTAssertEqual(w.lmHead.type, .q4_1)
        XCTAssertEqual([w.finalNorm.rows, w.finalNorm.cols], [1, 64])
        let layer = w.layers[1]
        XCTAssertEqual(layer.key.name, "blk.1.attn_k.weight")
        XCTAssertEqual([layer.query.rows, layer.query.cols], [64, 64])
        XCTAssertEqual([layer.key.rows, layer.key.cols], [32, 64])
        XCTAssertEqual([layer.output.rows, layer.output.cols], [64, 64])
        XCTAssertEqual([layer.gate.rows, layer.gate.cols], [128, 64])
        XCTAssertEqual([layer.down.rows, layer.down.cols], [64, 128])
        // The generator cycles the 2-D weights through every type, in file order.
        XCTAssertEqual(w.layers[0].query.type, .f32)
        XCTAssertEqual(w.layers[0].key.type, .f16)
        XCTAssertEqual(w.layers[0].value.type, .bf16)
        XCTAssertEqual(w.layers[0].output.type, .q8_0)
        XCTAssertEqual(w.layers[0].gate.type, .q4_0)
        XCTAssertEqual(w.layers[0].up.type, .q4_1)
        XCTAssertEqual(model.tensorTypeCounts, [.f32: 14, .q8_0: 6, .f16: 5, .bf16: 5, .q4_1: 5, .q4_0: 4])
        // Norm weights are the stored F32 values: around 1.
        let norm = w.layers[0].attentionNorm.data.assumingMemoryBound(to: Float.self)
        XCTAssertEqual(norm[0], 1, accuracy: 0.5)
    }

    func testTokenizerMetadataAndTemplate() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama.gguf").path)
        guard case .gguf(let vocabulary) = model.tokenizerSource else { return XCTFail("no GGUF vocabulary") }
        XCTAssertEqual(vocabulary.model, "gpt2")
        XCTAssertEqual(vocabulary.pre, "gpt2")
        XCTAssertEqual(vocabulary.tokens.count, 288)
        XCTAssertEqual(Array(vocabulary.tokens.prefix(3)), ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        XCTAssertEqual(vocabulary.tokens[3 + 65], "A")
        XCTAssertEqual(vocabulary.tokens[3 + 32], "Ġ")
        XCTAssertEqual(vocabulary.merges?.count, 29)
        XCTAssertEqual(vocabulary.merges?.first, "Ġ t")
        XCTAssertEqual(vocabulary.tokenTypes?.prefix(4), [3, 3, 3, 1])
        XCTAssertNil(vocabulary.scores)
        XCTAssertEqual(vocabulary.bosID, 1)
        XCTAssertEqual(vocabulary.eosID, 2)
        XCTAssertEqual(vocabulary.addBOS, false)
        XCTAssertEqual(model.bosTokenID, 1)
        XCTAssertEqual(model.eosTokenIDs, [2])
        XCTAssertTrue(model.chatTemplate?.contains("<|im_start|>") ?? false)
    }

    func testTiedFixtureUsesEmbeddingAsHead() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama-tied.gguf").path)
        XCTAssertTrue(model.config.tiedEmbeddings)
        XCTAssertEqual(model.weights.lmHead.name, "token_embd.weight")
        XCTAssertEqual(model.weights.lmHead.data, model.weights.tokenEmbedding.data)
        XCTAssertEqual(model.tensorTypeCounts.values.reduce(0, +), 38)
    }

    /// `rope_freqs.weight` holds the factors llama.cpp's converter derives from llama3 scaling
    /// (factor 8, low/high 1/4, original context 64): dividing θ^(−2i/d) by them gives the same
    /// inverse frequencies as transformers' llama3 formula.
    func testRoPEFrequencyFactors() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama-ropefreqs.gguf").path)
        let factors = try XCTUnwrap(model.config.ropeFrequencyFactors)
        XCTAssertNil(model.config.ropeScaling)
        let llama3 = Llama3RoPEScaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 64)
        let expected = ropeInverseFrequencies(headDim: 16, theta: 10_000, scaling: llama3, factors: nil)
        let actual = ropeInverseFrequencies(headDim: 16, theta: 10_000, scaling: nil, factors: factors)
        XCTAssertEqual(factors.count, 8)
        XCTAssertEqual(factors.first, 1)
        XCTAssertEqual(factors.last, 8)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: e * 1e-5) }
        let text = model.summaryLines.joined(separator: "\n")
        XCTAssertTrue(text.contains("theta 10000, per-frequency factors (rope_freqs) 1 to 8"), text)
    }

    /// F16 factors load as their F32 values.
    func testRoPEFrequencyFactorsF16() throws {
        let url = try ModelFileTestSupport.fixture("tiny-llama-ropefreqs.gguf")
        let factors = try XCTUnwrap(try ModelFile.open(path: url.path).config.ropeFrequencyFactors)
        var data = try Data(contentsOf: url)
        var stored = Data(), halves = Data()
        for f in factors {
            stored.append(le: f.bitPattern)
            halves.append(le: Float16(f).bitPattern)
        }
        let start = try XCTUnwrap(data.range(of: stored))
        data.replaceSubrange(start.lowerBound..<start.lowerBound + halves.count, with: halves)
        data.patch(UInt32(1), at: try data.offsetAfterGGUFString("rope_freqs.weight") + 4 + 8)  // F16
        let copy = try ModelFileTestSupport.scratchDirectory(for: self).appendingPathComponent("f16.gguf")
        try data.write(to: copy)
        let loaded = try XCTUnwrap(try ModelFile.open(path: copy.path).config.ropeFrequencyFactors)
        XCTAssertEqual(loaded, factors.map { Float(Float16($0)) })
    }

    func testSummaryLines() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama.gguf").path)
        let text = model.summaryLines.joined(separator: "\n")
        for expected in ["layers        4", "hidden        64", "FFN           128", "4 query / 2 KV, head dim 16",
                         "vocab         288", "context       256", "adjacent pairs, theta 10000", "F32 ×14",
                         "Q4_0 ×4", "GGUF v3", "327840 bytes"] {
            XCTAssertTrue(text.contains(expected), "summary lacks \"\(expected)\":\n\(text)")
        }
    }
}
