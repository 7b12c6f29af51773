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

    /// A checkpoint without a chat template skipchat renders loads (a raw prompt needs none), and
    /// `chatTemplate()` refuses it in one line naming the file that lacks one; `--template`
    /// (a name) lifts it.
    func testMissingChatTemplateNamesTheFile() throws {
        let config = checkpoint.appendingPathComponent("tokenizer_config.json")
        let jinja = checkpoint.appendingPathComponent("chat_template.jinja")
        func configWithTemplate(_ template: String?) throws {
            var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
            object["chat_template"] = template
            try JSONSerialization.data(withJSONObject: object).write(to: config)
        }
        func refusal() throws -> String {
            let model = try LanguageModel(file: try ModelFile.open(path: checkpoint.path), threads: 1, adapters: false)
            XCTAssertEqual(model.template.name, "plain")
            XCTAssertThrowsError(try model.chatTemplate())
            let named = try LanguageModel(file: try ModelFile.open(path: checkpoint.path), threads: 1, template: "mistral-v3", adapters: false)
            XCTAssertEqual(try named.chatTemplate().name, "mistral-v3")
            let line = "\(try XCTUnwrap(model.missingTemplate))"
            XCTAssertFalse(line.contains("\n"), line)
            XCTAssertTrue(line.contains("pass --template NAME (chatml, qwen3, llama3"), line)
            return line
        }
        try configWithTemplate(nil)
        XCTAssertTrue(try refusal().hasPrefix(config.path + ": has no chat_template (nor is there a chat_template.jinja); "))
        try configWithTemplate("{{ messages[0]['content'] }}")
        XCTAssertTrue(try refusal().hasPrefix(config.path + ": its chat_template is not one skipchat renders; "))
        try Data("{% for m in messages %}{{ m.content }}{% endfor %}".utf8).write(to: jinja)
        XCTAssertTrue(try refusal().hasPrefix(jinja.path + ": is not a chat template skipchat renders; "))
        try FileManager.default.removeItem(at: jinja)
        try FileManager.default.removeItem(at: config)
        XCTAssertTrue(try refusal().hasPrefix(config.path + ": missing, so the checkpoint has no chat template"))
        XCTAssertThrowsError(try LanguageModel(file: try ModelFile.open(path: checkpoint.path), threads: 1, template: "vicuna")) { error in
            XCTAssertTrue("\(error)".contains("unknown chat template 'vicuna' (known: chatml, qwen3, "), "\(error)")
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
