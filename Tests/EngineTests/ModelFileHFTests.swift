import Foundation
import XCTest
@testable import SkipChatEngine

/// Loading the Hugging Face fixture checkpoint written by scripts/fixtures/make_model_fixtures.py.
final class ModelFileHFTests: XCTestCase {
    func testConfig() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama-hf").path)
        XCTAssertEqual(model.config, LlamaConfig(
            layerCount: 4, hiddenSize: 64, ffnSize: 128, headCount: 4, kvHeadCount: 2, headDim: 16, vocabSize: 288,
            contextLength: 512, rmsNormEps: 1e-5, ropeTheta: 100,
            ropeScaling: Llama3RoPEScaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 64),
            ropeStyle: .rotateHalf, tiedEmbeddings: false))
        XCTAssertEqual(model.format, .huggingFace(shardCount: 2))
        XCTAssertEqual(model.architecture, "llama")
        XCTAssertEqual(model.name, "tiny-llama-hf")
        XCTAssertEqual(model.bosTokenID, 1)
        XCTAssertEqual(model.eosTokenIDs, [2, 0])
        XCTAssertTrue(model.metadata.isEmpty)
        XCTAssertEqual(model.fileSize, 186_824 + 187_024)
    }

    func testWeights() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama-hf").path)
        let w = model.weights
        XCTAssertEqual(model.tensorTypeCounts, [.bf16: 39])
        XCTAssertEqual(w.lmHead.name, "lm_head.weight")
        XCTAssertNotEqual(w.lmHead.data, w.tokenEmbedding.data)
        XCTAssertEqual([w.tokenEmbedding.rows, w.tokenEmbedding.cols], [288, 64])
        let last = w.layers[3]
        XCTAssertEqual(last.value.name, "model.layers.3.self_attn.v_proj.weight")
        XCTAssertEqual([last.value.rows, last.value.cols], [32, 64])
        XCTAssertEqual([last.up.rows, last.up.cols], [128, 64])
        XCTAssertEqual([last.down.rows, last.down.cols], [64, 128])
        XCTAssertEqual([last.ffnNorm.rows, last.ffnNorm.cols], [1, 64])
        // Norms are stored as bf16 and handed over as F32 copies (values around 1).
        XCTAssertEqual(last.ffnNorm.type, .f32)
        XCTAssertEqual(w.finalNorm.type, .f32)
        let stored = last.ffnNorm.data.assumingMemoryBound(to: Float.self)
        XCTAssertEqual(stored[0], 1, accuracy: 0.5)
        XCTAssertEqual(stored[0], Float(bitPattern: UInt32(Float(stored[0]).bitPattern >> 16) << 16), "a bf16 value")
    }

    func testTokenizerFilesAndTemplate() throws {
        let directory = try ModelFileTestSupport.fixture("tiny-llama-hf")
        let model = try ModelFile.open(path: directory.path)
        guard case .huggingFace(let json, let config) = model.tokenizerSource else { return XCTFail("no tokenizer files") }
        XCTAssertEqual(json.lastPathComponent, "tokenizer.json")
        XCTAssertEqual(config?.lastPathComponent, "tokenizer_config.json")
        XCTAssertTrue(model.chatTemplate?.contains("<|im_start|>") ?? false)
    }

    func testOpensThroughConfigOrShardPath() throws {
        let directory = try ModelFileTestSupport.fixture("tiny-llama-hf")
        for file in ["config.json", "model-00002-of-00002.safetensors"] {
            let model = try ModelFile.open(path: directory.appendingPathComponent(file).path)
            XCTAssertEqual(model.format, .huggingFace(shardCount: 2), file)
        }
    }

    func testSummaryShowsRoPEScaling() throws {
        let model = try ModelFile.open(path: try ModelFileTestSupport.fixture("tiny-llama-hf").path)
        let text = model.summaryLines.joined(separator: "\n")
        XCTAssertTrue(text.contains("rotate-half, theta 100, llama3 scaling factor 8, low/high freq factor 1/4, original context 64"), text)
        XCTAssertTrue(text.contains("BF16 ×39"), text)
    }

    /// Without an index every `*.safetensors` in the directory is read; `tie_word_embeddings`
    /// makes the head the embedding even when `lm_head.weight` is present; no tokenizer.json → `.none`.
    func testUnindexedTiedCheckpointWithoutTokenizer() throws {
        let directory = try ModelFileTestSupport.copyHFFixture(into: try ModelFileTestSupport.scratchDirectory(for: self))
        for name in ["model.safetensors.index.json", "tokenizer.json"] {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
        let configURL = directory.appendingPathComponent("config.json")
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["tie_word_embeddings"] = true
        config["rope_scaling"] = NSNull()
        config["eos_token_id"] = 2
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let model = try ModelFile.open(path: directory.path)
        XCTAssertEqual(model.format, .huggingFace(shardCount: 2))
        XCTAssertTrue(model.config.tiedEmbeddings)
        XCTAssertNil(model.config.ropeScaling)
        XCTAssertEqual(model.eosTokenIDs, [2])
        XCTAssertEqual(model.weights.lmHead.data, model.weights.tokenEmbedding.data)
        guard case .none = model.tokenizerSource else { return XCTFail("expected no tokenizer") }
    }
}

/// The F16 → F32 conversion used for F16 norm weights.
final class ModelFileNormConversionTests: XCTestCase {
    func testHalfToFloat() {
        let cases: [(UInt16, Float)] = [(0x3C00, 1), (0xC000, -2), (0x3555, 0.333251953125), (0x0001, 0x1p-24),
                                        (0x03FF, 0x1.ff8p-15), (0x7BFF, 65504), (0x7C00, .infinity), (0x0000, 0)]
        for (bits, value) in cases {
            XCTAssertEqual(NormWeights.halfToFloat(bits), value, "0x\(String(bits, radix: 16))")
        }
        XCTAssertEqual(NormWeights.halfToFloat(0x8000).sign, .minus)
        XCTAssertTrue(NormWeights.halfToFloat(0x7E00).isNaN)
    }
}
