import Foundation
import XCTest
@testable import SkipChatEngine

/// Synthetic models: names, shapes, llama.cpp's Q4_K_M tensor types, the memory check, valid
/// blocks, and the GGUF file read back by skipchat's reader (and by gguf-py in SyntheticGGUFPyTests).
final class SyntheticModelTests: XCTestCase {
    func testNamesAndShapes() {
        XCTAssertEqual(SyntheticShape.allCases.map(\.rawValue),
                       ["llama3.2-1b", "llama3.2-1b-q8_0", "llama3.2-1b-q4_k_m", "llama3-8b-q8_0", "llama3-8b-q4_k_m", "llama2-7b-q4_k_m",
                        "qwen2-1b", "qwen3-1b", "gemma3-1b", "phi3-1b"])
        // The family shapes are the BF16 1B shape with the family's block.
        for shape in [SyntheticShape.qwen2OneB, .qwen3OneB, .gemma3OneB, .phi3OneB] {
            let c = shape.spec.config, llama = SyntheticShape.llama32OneB.spec.config
            XCTAssertEqual(c.architecture, shape.family)
            XCTAssertEqual([c.layerCount, c.hiddenSize, c.ffnSize, c.headCount, c.kvHeadCount, c.headDim, c.vocabSize],
                           [llama.layerCount, llama.hiddenSize, llama.ffnSize, llama.headCount, llama.kvHeadCount, llama.headDim, llama.vocabSize])
            XCTAssertEqual(shape.recipe, .bf16)
        }
        // (layers, hidden, ffn, heads, kv heads, head size, vocab, tied, θ) from the model cards' config.json.
        let one = SyntheticShape.llama32OneBQ8_0.spec.config, eight = SyntheticShape.llama3EightBQ8_0.spec.config
        let seven = SyntheticShape.llama2SevenBQ4_K_M.spec.config
        for (c, want) in [(one, [16, 2048, 8192, 32, 8, 64, 128_256]), (eight, [32, 4096, 14336, 32, 8, 128, 128_256]),
                          (seven, [32, 4096, 11008, 32, 32, 128, 32000])] {
            XCTAssertEqual([c.layerCount, c.hiddenSize, c.ffnSize, c.headCount, c.kvHeadCount, c.headDim, c.vocabSize], want)
        }
        XCTAssertEqual([one.tiedEmbeddings, eight.tiedEmbeddings, seven.tiedEmbeddings], [true, false, false])
        XCTAssertEqual([one.ropeTheta, eight.ropeTheta, seven.ropeTheta], [500_000, 500_000, 10_000])
        XCTAssertNil(eight.ropeFrequencyFactors)
        XCTAssertNil(seven.ropeFrequencyFactors)
        // Llama 3.1 scaling, factor 32, low 1, high 4, 8192 positions: pair i has wavelength
        // 2π·θ^(2i/64); above 8192 it is divided by 32, below 8192/4 = 2048 kept.
        let factors = try! XCTUnwrap(one.ropeFrequencyFactors)
        XCTAssertEqual(factors.count, 32)
        for (i, f) in factors.enumerated() {
            let wavelength = 2 * Double.pi * pow(500_000, Double(2 * i) / 64)
            if wavelength > 8192 { XCTAssertEqual(f, 32, accuracy: 1e-3) }
            if wavelength < 2048 { XCTAssertEqual(f, 1, accuracy: 1e-6) }
        }
    }

    /// llama.cpp `llama_tensor_get_type` for LLAMA_FTYPE_MOSTLY_Q4_K_M, worked out by hand for 16
    /// and 32 layers: use_more_bits(i, n) = i < n/8 || i >= 7n/8 || (i − n/8) % 3 == 2.
    func testQ4KMTypesFollowLlamaCpp() {
        let moreBits = [16: Set([0, 1, 4, 7, 10, 13, 14, 15]),
                        32: Set([0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31])]
        for shape in [SyntheticShape.llama32OneBQ4_K_M, .llama3EightBQ4_K_M, .llama2SevenBQ4_K_M] {
            let spec = shape.spec
            let more = moreBits[spec.config.layerCount]!
            let types = Dictionary(uniqueKeysWithValues: spec.tensors.map { ($0.info.name, $0.info.type) })
            for (name, type) in types {
                let parts = name.split(separator: ".")
                let want: TensorType
                if name == "output.weight" { want = .q6_K }
                else if name == "token_embd.weight" { want = spec.config.tiedEmbeddings ? .q6_K : .q4_K }
                else if name.hasSuffix("norm.weight") || name == "rope_freqs.weight" { want = .f32 }
                else if name.hasSuffix("attn_v.weight") || name.hasSuffix("ffn_down.weight") { want = more.contains(Int(parts[1])!) ? .q6_K : .q4_K }
                else { want = .q4_K }
                XCTAssertEqual(type, want, "\(shape.rawValue) \(name)")
            }
            XCTAssertEqual(types["output.weight"] == nil, spec.config.tiedEmbeddings)
            // token_embd, rope_freqs (llama3 scaling), 9 per layer, output_norm, output (untied).
            XCTAssertEqual(types.count, 1 + (spec.config.ropeFrequencyFactors == nil ? 0 : 1) + 9 * spec.config.layerCount + 1
                + (spec.config.tiedEmbeddings ? 0 : 1))
        }
        for shape in [SyntheticShape.llama32OneBQ8_0, .llama3EightBQ8_0] {
            for t in shape.spec.tensors { XCTAssertEqual(t.info.type, t.info.dimensions.count == 2 ? .q8_0 : .f32, t.info.name) }
        }
        for t in SyntheticShape.llama32OneB.spec.tensors { XCTAssertEqual(t.info.type, t.info.dimensions.count == 2 ? .bf16 : .f32, t.info.name) }
    }

    func testMemoryCheckNamesTheBytesBeforeAllocating() {
        let spec = SyntheticShape.llama3EightBQ8_0.spec
        // Q8_0: 34 bytes per 32 values; norms F32.
        let d = 4096, layers = 32
        let perLayer = d * d * 2 + 1024 * d * 2 + 14336 * d * 3
        let values = 128_256 * d * 2 + layers * perLayer
        let needed = values / 32 * 34 + (2 * d * layers + d) * 4
        XCTAssertEqual(spec.weightBytes, needed)
        XCTAssertThrowsError(try SyntheticModel.open(spec, availableBytes: needed - 1)) { error in
            XCTAssertEqual(error as? SyntheticModelError, .doesNotFit(name: "llama3-8b-q8_0", neededBytes: needed, availableBytes: needed - 1))
            XCTAssertTrue("\(error)".contains("needs \(needed) bytes"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
        XCTAssertNoThrow(try SyntheticModel.check(spec, availableBytes: needed))
    }

    func testGGUFRoundTripThroughSkipchatsReader() throws {
        for spec in SyntheticTestSpecs.all {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID()).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try spec.writeGGUF(to: url.path)
            let gguf = try GGUFFile(file: MappedFile(path: url.path))
            XCTAssertEqual(gguf.version, 3)
            XCTAssertEqual(gguf.alignment, 32)
            let written = spec.metadata
            XCTAssertEqual(gguf.metadata.count, written.count)
            for (key, value) in written { XCTAssertEqual(gguf.metadata[key], value, key) }
            let tensors = spec.tensors
            XCTAssertEqual(gguf.tensors.map(\.name), tensors.map(\.info.name))
            for (read, made) in zip(gguf.tensors, tensors) {
                XCTAssertEqual(read.type, made.info.type, made.info.name)
                XCTAssertEqual(read.shape, made.info.dimensions.reversed(), made.info.name)
                let expected = UnsafeMutableRawPointer.allocate(byteCount: made.info.byteCount, alignment: 64)
                defer { expected.deallocate() }
                made.fill(into: expected)
                XCTAssertEqual(memcmp(read.data, expected, made.info.byteCount), 0, "\(made.info.name) bytes")
            }
            let file = try ModelFile.open(path: url.path)
            XCTAssertEqual(file.config, spec.config)
            let inMemory = try SyntheticModel.open(spec)
            XCTAssertEqual(inMemory.config, spec.config)
            XCTAssertEqual(inMemory.metadata, file.metadata)
            let a = file.weights.layers[1].down, b = inMemory.weights.layers[1].down
            XCTAssertEqual(memcmp(a.data, b.data, a.byteCount), 0)
            // The vocabulary loads and text survives a round trip (SentencePiece adds its dummy-prefix space).
            let model = try LanguageModel(file: inMemory, threads: 1, adapters: false)
            let text = "Hello, wörld! 12345 \u{1F600}"
            let prefix = spec.vocabulary == .sentencePiece ? " " : ""
            XCTAssertEqual(try model.tokenizer.decode(model.tokenizer.encode(text, parseSpecial: false)), Array((prefix + text).utf8))
        }
    }

    /// Tiny synthetics of every family's block: the GGUF reads back as the spec's config, and
    /// greedy self-speculation equals plain decoding on it.
    func testFamilySyntheticsRoundTripAndDecodeExactly() throws {
        for spec in SyntheticTestSpecs.families {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(UUID()).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try spec.writeGGUF(to: url.path)
            let file = try ModelFile.open(path: url.path)
            XCTAssertEqual(file.config, spec.config, spec.name)
            XCTAssertEqual(file.architecture, spec.config.architecture.name)
            let model = try LanguageModel(file: file, threads: 1, adapters: false)
            let prompt: [Int32] = [5, 17, 99, 42, 7, 300, 12, 64, 3, 200]
            let plain = try DecoderTestSupport.run(GenerationSession(model: model), prompt: prompt,
                                                   settings: DecoderTestSupport.settings(model, mode: .autoregressive), maxTokens: 12).tokens
            XCTAssertEqual(plain.count, 12, spec.name)
            for e in 1..<spec.config.layerCount {
                let spec2 = try DecoderTestSupport.run(GenerationSession(model: model), prompt: prompt,
                                                       settings: DecoderTestSupport.settings(model, mode: .fixed, exit: e, depth: 3),
                                                       maxTokens: 12).tokens
                XCTAssertEqual(spec2, plain, "\(spec.name) exit \(e)")
            }
        }
    }

    /// Decoded independently: every block's fp16 scales in the documented ranges, Q8_0 quants never −128.
    func testBlocksHaveSaneScales() throws {
        for spec in SyntheticTestSpecs.all {
            for t in spec.tensors where t.info.dimensions.count == 2 {
                let bytes = UnsafeMutableRawPointer.allocate(byteCount: t.info.byteCount, alignment: 64)
                defer { bytes.deallocate() }
                t.fill(into: bytes)
                let blocks = t.info.byteCount / t.info.type.blockBytes, stride = t.info.type.blockBytes
                func half(_ offset: Int) -> Float { Float(Float16(bitPattern: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))) }
                let zeroRowBlocks = Set((spec.config.tiedEmbeddings ? t.info.name == "token_embd.weight" : t.info.name == "output.weight")
                    ? spec.vocabulary.controlTokenIDs(vocabularySize: spec.config.vocabSize).flatMap { row in
                        (0..<t.info.dimensions[0] / t.info.type.blockSize).map { row * t.info.dimensions[0] / t.info.type.blockSize + $0 } } : [])
                for b in 0..<blocks where !zeroRowBlocks.contains(b) {
                    switch t.info.type {
                    case .q8_0:
                        XCTAssert((0x1p-12..<0x1p-11).contains(half(b * stride)))
                        for i in 2..<34 { XCTAssertNotEqual(bytes.load(fromByteOffset: b * stride + i, as: Int8.self), -128) }
                    case .q4_K:
                        XCTAssert((0x1p-14..<0x1p-13).contains(half(b * stride)) && (0x1p-14..<0x1p-13).contains(half(b * stride + 2)))
                    case .q6_K:
                        XCTAssert((0x1p-16..<0x1p-15).contains(half(b * stride + 208)))
                    case .bf16:
                        let v = Float(bitPattern: UInt32(bytes.loadUnaligned(fromByteOffset: b * 2, as: UInt16.self)) << 16)
                        XCTAssert((0x1p-7..<0x1p-5).contains(abs(v)))
                    default:
                        XCTFail("unexpected type \(t.info.type)")
                    }
                }
                for b in zeroRowBlocks {
                    XCTAssertTrue(UnsafeRawBufferPointer(start: bytes + b * stride, count: stride).allSatisfy { $0 == 0 })
                }
            }
        }
    }

    func testSameSeedSameBytesWhateverTheChunking() {
        let spec = SyntheticTestSpecs.all[0]
        let t = spec.tensors.first { $0.info.name == "blk.0.ffn_up.weight" }!
        let a = UnsafeMutableRawPointer.allocate(byteCount: t.info.byteCount, alignment: 64)
        let b = UnsafeMutableRawPointer.allocate(byteCount: t.info.byteCount, alignment: 64)
        defer { a.deallocate(); b.deallocate() }
        t.fill(into: a)
        t.fill(into: b)
        XCTAssertEqual(memcmp(a, b, t.info.byteCount), 0)
        let other = spec.tensors.first { $0.info.name == "blk.1.ffn_up.weight" }!
        other.fill(into: b)
        XCTAssertNotEqual(memcmp(a, b, t.info.byteCount), 0, "each matrix is distinct memory")
    }
}

/// Tiny synthetic specs: rows of 256 (one K-quant super-block), both vocabulary families, all recipes.
enum SyntheticTestSpecs {
    static func config(tied: Bool, vocab: Int) -> LlamaConfig {
        LlamaConfig(layerCount: 3, hiddenSize: 256, ffnSize: 512, headCount: 4, kvHeadCount: 2, headDim: 64, vocabSize: vocab,
                    contextLength: 512, rmsNormEps: 1e-5, ropeTheta: 500_000, ropeScaling: nil,
                    ropeFrequencyFactors: tied ? (0..<32).map { 1 + Float($0) / 8 } : nil, ropeStyle: .adjacentPairs, tiedEmbeddings: tied)
    }

    /// The same shape with each other family's block (BF16; Gemma 3 with a window of 4 positions, shorter than the test prompt).
    static let families: [SyntheticSpec] = [Architecture.qwen2, .qwen3, .gemma3, .phi3].enumerated().map { i, family in
        var c = config(tied: family == .gemma3, vocab: 768)
        c.architecture = family
        c.ropeStyle = family.ggufRoPEStyle
        if family == .gemma3 {
            c.setSlidingWindow(4, layers: family.slidingLayers)
            c.slidingRoPETheta = 10_000
        }
        return SyntheticSpec(name: "tiny-\(family.name)", config: c, recipe: .bf16, vocabulary: .llama3BPE, seed: 20 + UInt64(i))
    }

    static let all = [
        SyntheticSpec(name: "tiny-q4_k_m", config: config(tied: true, vocab: 1024), recipe: .q4_K_M, vocabulary: .llama3BPE, seed: 7),
        SyntheticSpec(name: "tiny-q8_0", config: config(tied: false, vocab: 600), recipe: .q8_0, vocabulary: .sentencePiece, seed: 8),
        SyntheticSpec(name: "tiny-bf16", config: config(tied: false, vocab: 768), recipe: .bf16, vocabulary: .llama3BPE, seed: 9),
        SyntheticSpec(name: "tiny-q4_k_m-untied", config: config(tied: false, vocab: 700), recipe: .q4_K_M, vocabulary: .sentencePiece, seed: 10),
    ]
}
