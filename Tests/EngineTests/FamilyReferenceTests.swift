import Foundation
import XCTest
@testable import SkipChatEngine

/// Every model family against Hugging Face transformers in float32
/// (scripts/fixtures/make_family_fixtures.py): the Hugging Face checkpoint and its GGUF copy made
/// by llama.cpp's own converter give the reference's logits at every exit layer and its greedy
/// continuation, and greedy self-speculation equals plain decoding at every exit layer and depth.
final class FamilyReferenceTests: XCTestCase {
    struct Reference: Decodable {
        var tokens: [Int32]
        var exit_layers: [Int]
        var logits: [[[Float]]]
        var greedy: [Int32]
        /// The reference of the GGUF copy when it differs (Mistral: the converter drops the window).
        var gguf: GGUFReference?
    }

    struct GGUFReference: Decodable {
        var exit_layers: [Int]
        var logits: [[[Float]]]
        var greedy: [Int32]
    }

    /// |Δlogit| bound relative to the largest reference logit (at least 1), per KV cache type.
    /// With an f32 cache BF16 weights are read exactly and what remains is float32 summation
    /// order; an f16 cache rounds every key and value once (measured up to 1.2e-3 on Gemma 3,
    /// whose post-norms amplify it).
    static func tolerance(_ kvType: KVCacheType) -> Float { kvType == .f32 ? 2e-4 : 2e-3 }

    func fixture(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/families/\(name)", withExtension: nil))
    }

    /// Exit logits at every layer and the greedy continuation of `model` (a file in
    /// Fixtures/families) against `family`'s reference; then self-speculation at every E and K.
    func check(_ family: String, gguf: Bool) throws {
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: try fixture("\(family).reference.json")))
        let file = try ModelFile.open(path: try fixture(gguf ? "\(family).gguf" : "\(family)-hf").path)
        XCTAssertEqual(file.config.architecture.name, family == "mistral" ? "llama" : family)
        let logits = gguf ? reference.gguf?.logits ?? reference.logits : reference.logits
        let greedy = gguf ? reference.gguf?.greedy ?? reference.greedy : reference.greedy
        for kvType in [KVCacheType.f32, .f16] {
            let worst = try checkExitLogits(file, tokens: reference.tokens, expected: logits, kvType: kvType)
            print("FamilyReferenceTests: \(family) \(gguf ? "GGUF" : "HF"), \(kvType) KV cache: max |Δlogit| = \(worst) of the logit scale")
        }

        let model = try LanguageModel(file: file, threads: 2)
        let plain = try DecoderTestSupport.run(GenerationSession(model: model), prompt: reference.tokens,
                                               settings: DecoderTestSupport.settings(model, mode: .autoregressive),
                                               maxTokens: greedy.count).tokens
        XCTAssertEqual(plain, greedy, "\(family) \(gguf ? "GGUF" : "HF"): greedy continuation")
        let session = GenerationSession(model: model)
        for e in 1..<model.config.layerCount {
            for k in 1...4 {
                let spec = try DecoderTestSupport.run(session, prompt: reference.tokens,
                                                      settings: DecoderTestSupport.settings(model, mode: .fixed, exit: e, depth: k),
                                                      maxTokens: greedy.count).tokens
                XCTAssertEqual(spec, plain, "\(family) exit layer \(e), depth \(k)")
            }
        }
    }

    /// Runs the prompt layer by layer; returns the worst |Δlogit| relative to the logit scale.
    private func checkExitLogits(_ file: ModelFile, tokens: [Int32], expected: [[[Float]]], kvType: KVCacheType) throws -> Float {
        let model = LlamaModel(config: file.config, weights: file.weights, threads: 2)
        let forward = ForwardPass(model: model, kvType: kvType)
        let t = tokens.count, vocab = file.config.vocabSize
        XCTAssertEqual(expected.count, file.config.layerCount)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: t * file.config.hiddenSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: t * vocab)
        defer { hidden.deallocate(); logits.deallocate() }
        forward.embed(tokens, into: hidden)
        var relative: Float = 0
        for layer in 1...file.config.layerCount {
            forward.runLayers(layer - 1..<layer, hidden: hidden, count: t, startPosition: 0)
            forward.logits(hidden: hidden, count: t, into: logits)
            var worst: Float = 0, scale: Float = 1
            for p in 0..<t {
                for v in 0..<vocab {
                    worst = max(worst, abs(logits[p * vocab + v] - expected[layer - 1][p][v]))
                    scale = max(scale, abs(expected[layer - 1][p][v]))
                }
            }
            XCTAssertLessThanOrEqual(worst, Self.tolerance(kvType) * scale,
                                     "\(kvType) KV cache, exit layer \(layer): max |Δlogit| \(worst), scale \(scale)")
            relative = max(relative, worst / scale)
        }
        return relative
    }

    func testQwen2HuggingFace() throws { try check("qwen2", gguf: false) }
    func testQwen2GGUF() throws { try check("qwen2", gguf: true) }
    func testQwen3HuggingFace() throws { try check("qwen3", gguf: false) }
    func testQwen3GGUF() throws { try check("qwen3", gguf: true) }
    /// Window 5 on every layer, shorter than the 14-token prompt.
    func testMistralHuggingFace() throws { try check("mistral", gguf: false) }
    /// A "llama" GGUF with permuted Q/K and no window (the converter writes none).
    func testMistralGGUF() throws { try check("mistral", gguf: true) }
    /// 7 layers: sliding window 5 at RoPE base 100 on all but layer 5 (global, base 1000, linear
    /// scaling 2), (1 + w) norms, post-norms, GeGLU, Q/K norms, scaled embeddings, soft-cap 10.
    func testGemma3HuggingFace() throws { try check("gemma3", gguf: false) }
    func testGemma3GGUF() throws { try check("gemma3", gguf: true) }
    /// Fused QKV and gate-up, LongRoPE short factors with the attention factor of 256/64
    /// positions, window 5 on every layer.
    func testPhi3HuggingFace() throws { try check("phi3", gguf: false) }
    func testPhi3GGUF() throws { try check("phi3", gguf: true) }
}
