import Foundation
import XCTest
@testable import SkipChatEngine

/// Malformed Hugging Face checkpoints: each case fails with one line naming the file at fault.
final class ModelFileBadHFTests: XCTestCase {
    private var checkpoint: URL!

    override func setUpWithError() throws {
        checkpoint = try ModelFileTestSupport.copyHFFixture(into: try ModelFileTestSupport.scratchDirectory(for: self))
    }

    private var configURL: URL { checkpoint.appendingPathComponent("config.json") }

    /// Rewrites config.json after applying `edit` to its JSON object.
    private func editConfig(_ edit: (inout [String: Any]) -> Void) throws {
        var config = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
    }

    func testBrokenConfigJSON() throws {
        try Data("{\"hidden_size\": 64,".utf8).write(to: configURL)
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "config.json", contains: "byte 19: unexpected end of file")
    }

    func testConfigFieldMissing() throws {
        try editConfig { $0["hidden_size"] = nil }
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "config.json", contains: "field 'hidden_size' is missing")
    }

    func testConfigFieldWrongType() throws {
        try editConfig { $0["num_hidden_layers"] = "four" }
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "config.json", contains: "field 'num_hidden_layers' is not an integer")
    }

    func testUnsupportedRoPEScaling() throws {
        try editConfig { $0["rope_scaling"] = ["rope_type": "yarn", "factor": 4.0] }
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "config.json", contains: "rope_scaling type 'yarn' is not supported (supported: llama3)")
    }

    /// The model loads, its tokenizer does not: one line naming the missing file.
    func testMissingTokenizerNamesTheFile() throws {
        try FileManager.default.removeItem(at: checkpoint.appendingPathComponent("tokenizer.json"))
        let file = try ModelFile.open(path: checkpoint.path)
        XCTAssertThrowsError(try LanguageModel(file: file, threads: 1)) { error in
            XCTAssertEqual("\(error)", checkpoint.appendingPathComponent("tokenizer.json").path + ": missing: the checkpoint has no tokenizer")
        }
    }

    /// Families skipchat runs are listed; a Gemma 2 or multimodal Gemma 3 config is refused in one line.
    func testUnsupportedModelTypeListsTheSupportedOnes() throws {
        try editConfig { $0["model_type"] = "gemma2" }
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "config.json",
                                             contains: "model_type 'gemma2' is not supported (supported: gemma3_text, llama, mistral, phi3, qwen2, qwen3)")
    }

    func testUnsupportedModelType() throws {
        try editConfig { $0["model_type"] = "gemma" }
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "config.json", contains: "model_type 'gemma' is not supported")
    }

    func testMissingConfig() throws {
        try FileManager.default.removeItem(at: configURL)
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "tiny-llama-hf", contains: "no config.json")
    }

    func testMissingShard() throws {
        try FileManager.default.removeItem(at: checkpoint.appendingPathComponent("model-00002-of-00002.safetensors"))
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "model-00002-of-00002.safetensors", contains: "cannot open")
    }

    func testHeaderLengthPastEnd() throws {
        let shard = checkpoint.appendingPathComponent("model-00001-of-00002.safetensors")
        var data = try Data(contentsOf: shard)
        data.patch(UInt64(data.count), at: 0)
        try data.write(to: shard)
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "model-00001-of-00002.safetensors", contains: "runs past the end of the file")
    }

    func testTruncatedShard() throws {
        let shard = checkpoint.appendingPathComponent("model-00002-of-00002.safetensors")
        let data = try Data(contentsOf: shard)
        try data.prefix(data.count - 10).write(to: shard)
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "model-00002-of-00002.safetensors", contains: "ends past the end of the file")
    }

    func testShapeDisagreesWithConfig() throws {
        try editConfig { $0["intermediate_size"] = 96 }
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "tiny-llama-hf",
                                             contains: "tensor 'model.layers.0.mlp.gate_proj.weight' has shape 128×64 (rows×columns) but the config needs 96×64")
    }

    func testIndexNamesForeignShard() throws {
        let index = checkpoint.appendingPathComponent("model.safetensors.index.json")
        try Data(#"{"weight_map": {"model.norm.weight": "../elsewhere.safetensors"}}"#.utf8).write(to: index)
        ModelFileTestSupport.assertLoadError(checkpoint.path, names: "model.safetensors.index.json", contains: "is not a .safetensors file name")
    }
}
