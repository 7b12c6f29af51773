import Foundation
import XCTest
@testable import SkipChatEngine

/// Malformed GGUF input: each case must fail with one line naming the file and the problem,
/// without crashing or allocating more than the file justifies.
final class ModelFileBadGGUFTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = try ModelFileTestSupport.scratchDirectory(for: self)
    }

    /// The untied GGUF fixture's bytes.
    private func fixtureBytes() throws -> Data {
        try Data(contentsOf: try ModelFileTestSupport.fixture("tiny-llama.gguf"))
    }

    /// Writes `data` to a scratch file and asserts the load error contains `text`.
    private func assertRejects(_ data: Data, contains text: String, line: UInt = #line) throws {
        let url = scratch.appendingPathComponent("bad-\(line).gguf")
        try data.write(to: url)
        ModelFileTestSupport.assertLoadError(url.path, names: url.lastPathComponent, contains: text, line: line)
    }

    /// A GGUF without `tokenizer.chat_template`, or with one skipchat does not recognise, loads
    /// and names itself as the file that lacks a template (same-length byte edits of the key and
    /// of the template's markers keep the file well-formed).
    func testMissingChatTemplateNamesTheFile() throws {
        func replacing(_ old: String, with new: String, in data: Data) -> Data {
            var bytes = [UInt8](data)
            let o = Array(old.utf8), n = Array(new.utf8)
            var i = 0
            while i + o.count <= bytes.count {
                if Array(bytes[i..<(i + o.count)]) == o { bytes.replaceSubrange(i..<(i + o.count), with: n) }
                i += 1
            }
            return Data(bytes)
        }
        let original = try fixtureBytes()
        for (data, message) in [(replacing("tokenizer.chat_template", with: "tokenizer.chat_templatX", in: original),
                                 "has no chat template (tokenizer.chat_template); pass --template NAME (chatml, "),
                                (replacing("<|im_start|>", with: "<|im_stXrt|>", in: original),
                                 "its chat template (tokenizer.chat_template) is not one skipchat renders; pass --template NAME (")] {
            let url = scratch.appendingPathComponent("no-template.gguf")
            try data.write(to: url)
            let model = try LanguageModel(file: try ModelFile.open(path: url.path), threads: 1, adapters: false)
            XCTAssertThrowsError(try model.chatTemplate()) { error in
                XCTAssertTrue("\(error)".hasPrefix("\(url.path): \(message)"), "\(error)")
            }
            XCTAssertEqual(try LanguageModel(file: try ModelFile.open(path: url.path), threads: 1, template: "chatml", adapters: false)
                .chatTemplate().name, "chatml")
        }
    }

    func testMissingFile() {
        let path = scratch.appendingPathComponent("nothing-here.gguf").path
        ModelFileTestSupport.assertLoadError(path, names: "nothing-here.gguf", contains: "no such file or directory")
    }

    func testEmptyFile() throws {
        try assertRejects(Data(), contains: "file is empty")
    }

    func testNotGGUF() throws {
        try assertRejects(Data("PK\u{3}\u{4} this is a zip, not a model".utf8), contains: "not a GGUF file")
    }

    func testUnsupportedVersion() throws {
        var data = Data.ggufHeader(tensorCount: 0, kvCount: 0)
        data.patch(UInt32(1), at: 4)
        try assertRejects(data, contains: "GGUF version 1 is not supported")
    }

    func testTruncatedHeader() throws {
        try assertRejects(try fixtureBytes().prefix(12), contains: "file ends inside tensor count at offset 8")
    }

    func testTruncatedTensorData() throws {
        let data = try fixtureBytes()
        try assertRejects(data.prefix(data.count - 100), contains: "tensor 'output.weight' (Q4_1, 11520 bytes for dimensions [64, 288] at data offset")
    }

    func testTensorOffsetPastEnd() throws {
        var data = try fixtureBytes()
        let info = try data.offsetAfterGGUFString("output.weight")
        data.patch(UInt64(1 << 40), at: info + 4 + 16 + 4)  // n_dims, ne[2], type, then offset
        try assertRejects(data, contains: "ends past the end of the file")
    }

    func testMisalignedTensorOffset() throws {
        var data = try fixtureBytes()
        let info = try data.offsetAfterGGUFString("output.weight")
        data.patch(UInt64(3), at: info + 4 + 16 + 4)
        try assertRejects(data, contains: "is not a multiple of the alignment 32")
    }

    func testAbsurdKeyValueCount() throws {
        try assertRejects(.ggufHeader(tensorCount: 0, kvCount: 1 << 62), contains: "metadata key/value count 4611686018427387904")
    }

    func testAbsurdTensorCount() throws {
        try assertRejects(.ggufHeader(tensorCount: 1 << 62, kvCount: 0), contains: "tensor count 4611686018427387904")
    }

    func testAbsurdStringLength() throws {
        var data = Data.ggufHeader(tensorCount: 0, kvCount: 1)
        data.append(le: UInt64(1) << 60)
        data.append(contentsOf: [UInt8](repeating: 0x61, count: 64))
        try assertRejects(data, contains: "length of key of metadata entry 0 1152921504606846976")
    }

    func testAbsurdArrayLength() throws {
        var data = Data.ggufHeader(tensorCount: 0, kvCount: 1)
        data.appendGGUFString("tokenizer.ggml.tokens")
        data.append(le: UInt32(9))  // array
        data.append(le: UInt32(8))  // of strings
        data.append(le: UInt64.max)
        data.append(contentsOf: [UInt8](repeating: 0, count: 64))
        try assertRejects(data, contains: "length of array metadata value 'tokenizer.ggml.tokens' 18446744073709551615")
    }

    func testDeeplyNestedArrays() throws {
        var data = Data.ggufHeader(tensorCount: 0, kvCount: 1)
        data.appendGGUFString("nested")
        data.append(le: UInt32(9))
        for _ in 0..<20 {
            data.append(le: UInt32(9))
            data.append(le: UInt64(1))
        }
        data.append(contentsOf: [UInt8](repeating: 0, count: 300))
        try assertRejects(data, contains: "nests arrays deeper than")
    }

    func testUnsupportedTensorType() throws {
        var data = try fixtureBytes()
        let info = try data.offsetAfterGGUFString("blk.0.ffn_down.weight")
        data.patch(UInt32(16), at: info + 4 + 16)  // IQ2_XXS
        try assertRejects(data, contains: "tensor 'blk.0.ffn_down.weight' has type IQ2_XXS, which skipchat does not support (supported: F32, F16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, IQ4_NL, BF16)")
    }

    func testUnknownTensorTypeId() throws {
        var data = try fixtureBytes()
        let info = try data.offsetAfterGGUFString("blk.0.ffn_down.weight")
        data.patch(UInt32(99), at: info + 4 + 16)
        try assertRejects(data, contains: "tensor 'blk.0.ffn_down.weight' has type unknown type 99, which skipchat does not support")
    }

    func testKQuantRowNotMultipleOf256() throws {
        var data = try fixtureBytes()
        let info = try data.offsetAfterGGUFString("blk.0.ffn_down.weight")
        data.patch(UInt32(12), at: info + 4 + 16)  // Q4_K on rows of 128 values
        try assertRejects(data, contains: "tensor 'blk.0.ffn_down.weight' has type Q4_K but its rows have 128 values, not a multiple of the Q4_K block size 256")
    }

    func testTensorSizeDisagreesWithTypeAndShape() throws {
        var data = try fixtureBytes()
        let info = try data.offsetAfterGGUFString("blk.0.attn_k.weight")
        data.patch(UInt32(0), at: info + 4 + 16)  // F16 → F32: twice the bytes of the data stored
        try assertRejects(data, contains: "tensor 'blk.0.attn_k.weight' (F32, dimensions [64, 32]) needs 8192 bytes, but tensor '")
    }

    func testMissingTensor() throws {
        var data = try fixtureBytes()
        let end = try data.offsetAfterGGUFString("blk.1.attn_k.weight")
        data.replaceSubrange(end - 8..<end - 7, with: Data("x".utf8))  // "attn_k" → "attn_x"
        try assertRejects(data, contains: "tensor 'blk.1.attn_k.weight' is missing")
    }

    func testShapeDisagreesWithConfig() throws {
        var data = try fixtureBytes()
        let key = try data.offsetAfterGGUFString("llama.feed_forward_length")
        data.patch(UInt32(96), at: key + 4)  // after the u32 value type
        try assertRejects(data, contains: "tensor 'blk.0.ffn_gate.weight' has shape 128×64 (rows×columns) but the config needs 96×64")
    }

    /// The rope_freqs fixture's bytes and the offset just past the name of its `rope_freqs.weight`
    /// tensor info (then: u32 n_dims, u64 ne[0], u32 type, u64 offset).
    private func ropeFreqsFixture() throws -> (data: Data, info: Int) {
        let data = try Data(contentsOf: try ModelFileTestSupport.fixture("tiny-llama-ropefreqs.gguf"))
        return (data, try data.offsetAfterGGUFString("rope_freqs.weight"))
    }

    func testRoPEFactorsWrongCount() throws {
        var (data, info) = try ropeFreqsFixture()
        data.patch(UInt64(4), at: info + 4)
        try assertRejects(data, contains: "tensor 'rope_freqs.weight' has 4 values (shape [4]), expected 8, half the head size 16")
    }

    func testRoPEFactorsWrongType() throws {
        var (data, info) = try ropeFreqsFixture()
        data.patch(UInt32(30), at: info + 4 + 8)  // BF16
        try assertRejects(data, contains: "tensor 'rope_freqs.weight' has type BF16, expected F32 or F16")
    }

    func testRoPEFactorsNonPositive() throws {
        var (data, _) = try ropeFreqsFixture()
        var eights = Data()
        for _ in 0..<5 { eights.append(le: Float(8).bitPattern) }  // factors 3 to 7 of the fixture
        let start = try XCTUnwrap(data.range(of: eights)).lowerBound - data.startIndex
        data.patch(Float(-8).bitPattern, at: start + 4)
        try assertRejects(data, contains: "tensor 'rope_freqs.weight' value 4 is -8.0, expected a finite factor > 0")
    }

    func testUnsupportedArchitecture() throws {
        var data = try fixtureBytes()
        let end = try data.offsetAfterGGUFString("llama")  // first "llama" string: the architecture value
        data.replaceSubrange(end - 5..<end, with: Data("gpt-j".utf8))
        try assertRejects(data, contains: "architecture 'gpt-j' is not supported (supported: gemma3, llama, mistral, phi3, qwen2, qwen3)")
    }
}
