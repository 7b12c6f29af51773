import Foundation
import XCTest
@testable import SkipChatEngine

/// The forward pass against reference logits computed by an independent numpy implementation
/// (scripts/fixtures/make_model_fixtures.py), at several exit layers, for GGUF (every supported
/// tensor type, adjacent-pair RoPE, tied and untied heads, per-frequency RoPE factors) and a
/// sharded HF checkpoint (GQA, llama3 RoPE scaling, rotate-half RoPE, untied head).
final class ForwardReferenceTests: XCTestCase {
    struct Reference: Decodable {
        var tokens: [Int32]
        var exit_layers: [Int]
        var logits: [[[Float]]]
    }

    func fixture(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    }

    /// Runs the prompt through the model layer by layer and compares exit logits with the reference;
    /// returns the worst |Δlogit| relative to the logit scale.
    @discardableResult
    func check(model modelName: String, reference referenceName: String, tolerance: Float,
               kvType: KVCacheType = .f32) throws -> Float {
        let file = try ModelFile.open(path: try fixture(modelName).path)
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: try fixture(referenceName)))
        let model = LlamaModel(config: file.config, weights: file.weights, threads: 2)
        let forward = ForwardPass(model: model, kvType: kvType)
        let t = reference.tokens.count
        let vocab = file.config.vocabSize
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: t * file.config.hiddenSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: t * vocab)
        defer { hidden.deallocate(); logits.deallocate() }
        forward.embed(reference.tokens, into: hidden)
        var done = 0
        var relative: Float = 0
        for (index, layer) in reference.exit_layers.enumerated() {
            forward.runLayers(done..<layer, hidden: hidden, count: t, startPosition: 0)
            done = layer
            forward.logits(hidden: hidden, count: t, into: logits)
            let expected = reference.logits[index]
            var worst: Float = 0, scale: Float = 0
            for p in 0..<t {
                for v in 0..<vocab {
                    worst = max(worst, abs(logits[p * vocab + v] - expected[p][v]))
                    scale = max(scale, abs(expected[p][v]))
                }
            }
            XCTAssertLessThanOrEqual(worst, tolerance * max(scale, 1),
                                     "\(modelName) exit layer \(layer): max |Δlogit| \(worst), logit scale \(scale)")
            relative = max(relative, worst / max(scale, 1))
        }
        return relative
    }

    /// The bound on every kernel path this CPU runs, for both activation precisions (int8
    /// activations are ~256× coarser: 3% of the logit scale instead of 0.1%). Prints the measured
    /// error of each: the accuracy of each path is stated, not assumed.
    func testGGUFAllTypesOnEveryPathAndPrecision() throws {
        for path in KernelPath.allCases where path.isSupported {
            for precision in KernelPrecision.allCases {
                let worst = try KernelSelection.withKernels(environment: ["SKIPCHAT_KERNELS": path.rawValue], precision: precision) {
                    try check(model: "tiny-llama.gguf", reference: "tiny-llama.reference.json",
                              tolerance: precision == .fast ? 0.03 : 0.001)
                }
                print("ForwardReferenceTests: \(path.rawValue)/\(precision.rawValue): max |Δlogit| = \(worst) of the logit scale")
            }
        }
    }

    /// The bound of each KV cache type against the float32 numpy reference (the fixtures attend
    /// over few positions; docs/performance.md states the bound on the default model's long
    /// contexts too). Prints the measured error of each.
    func testEveryKVCacheTypeMatchesReference() throws {
        for type in KVCacheType.allCases {
            let tolerance: Float = type == .bf16 ? 0.01 : 0.001
            let gguf = try check(model: "tiny-llama.gguf", reference: "tiny-llama.reference.json", tolerance: tolerance, kvType: type)
            let hf = try check(model: "tiny-llama-hf", reference: "tiny-llama-hf.reference.json", tolerance: tolerance, kvType: type)
            print("ForwardReferenceTests: kv \(type.rawValue): max |Δlogit| = \(gguf) (GGUF), \(hf) (HF) of the logit scale")
        }
    }

    func testGGUFAllTypesMatchesReference() throws {
        try check(model: "tiny-llama.gguf", reference: "tiny-llama.reference.json", tolerance: 0.001)
    }

    /// Q5_0, Q5_1, IQ4_NL and Q2_K…Q6_K tensors, as llama.cpp's quantizer wrote them
    /// (scripts/fixtures/make_mixed_quant_model_fixtures.py), at exit layers 1 and 2.
    func testGGUFMixedQuantsMatchReference() throws {
        try check(model: "tiny-llama-mixed-quants.gguf", reference: "tiny-llama-mixed-quants.reference.json", tolerance: 0.001)
    }

    func testGGUFTiedHeadMatchesReference() throws {
        try check(model: "tiny-llama-tied.gguf", reference: "tiny-llama-tied.reference.json", tolerance: 0.001)
    }

    /// 24 positions, so that the factors of `rope_freqs.weight` (up to 8) change the logits.
    func testGGUFRoPEFrequencyFactorsMatchReference() throws {
        try check(model: "tiny-llama-ropefreqs.gguf", reference: "tiny-llama-ropefreqs.reference.json", tolerance: 0.001)
    }

    func testHuggingFaceCheckpointMatchesReference() throws {
        try check(model: "tiny-llama-hf", reference: "tiny-llama-hf.reference.json", tolerance: 0.0005)
    }

    /// Batched and one-position-at-a-time runs give bit-identical logits (the exactness of
    /// self-speculative decoding rests on this).
    func testBatchedRunEqualsSequentialRun() throws {
        for type in KVCacheType.allCases { try KVCacheType.with(type) { try checkBatchedEqualsSequential() } }
    }

    private func checkBatchedEqualsSequential() throws {
        let file = try ModelFile.open(path: try fixture("tiny-llama.gguf").path)
        let model = LlamaModel(config: file.config, weights: file.weights, threads: 2)
        let tokens: [Int32] = [1, 40, 75, 260, 111, 271, 2, 99, 17]
        let d = file.config.hiddenSize, vocab = file.config.vocabSize, n = tokens.count
        let batched = ForwardPass(model: model), sequential = ForwardPass(model: model)
        let h1 = UnsafeMutablePointer<Float>.allocate(capacity: n * d)
        let h2 = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let l1 = UnsafeMutablePointer<Float>.allocate(capacity: n * vocab)
        let l2 = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
        defer { h1.deallocate(); h2.deallocate(); l1.deallocate(); l2.deallocate() }
        batched.embed(tokens, into: h1)
        batched.runLayers(0..<file.config.layerCount, hidden: h1, count: n, startPosition: 0)
        batched.logits(hidden: h1, count: n, into: l1)
        for p in 0..<n {
            sequential.embed([tokens[p]], into: h2)
            sequential.runLayers(0..<2, hidden: h2, count: 1, startPosition: p)
            sequential.runLayers(2..<file.config.layerCount, hidden: h2, count: 1, startPosition: p)
            sequential.logits(hidden: h2, count: 1, into: l2)
            for v in 0..<vocab {
                XCTAssertEqual(l1[p * vocab + v].bitPattern, l2[v].bitPattern, "position \(p) logit \(v)")
            }
        }
    }
}
