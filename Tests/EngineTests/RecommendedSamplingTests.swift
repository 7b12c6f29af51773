import Foundation
import XCTest
@testable import SkipChatEngine

/// The chat's default sampling follows the model.
final class RecommendedSamplingTests: XCTestCase {
    private func withGenerationConfig(_ json: String) throws -> ModelFile {
        let copy = try ModelFileTestSupport.copyHFFixture(into: ModelFileTestSupport.scratchDirectory(for: self))
        try Data(json.utf8).write(to: copy.appendingPathComponent("generation_config.json"))
        return try ModelFile.open(path: copy.path)
    }

    func testGenerationConfigSampling() throws {
        let file = try withGenerationConfig(#"{"do_sample": true, "temperature": 0.6, "top_p": 0.9, "repetition_penalty": 1.1}"#)
        let sampling = try file.recommendedSampling()
        XCTAssertEqual(sampling.source, "generation_config.json")
        // top_k is HF GenerationConfig's default, 50.
        XCTAssertEqual(sampling.parameters, SamplingParameters(temperature: 0.6, topK: 50, topP: 0.9, repetitionPenalty: 1.1))
        // The model's own penalty stands in the chat (no window added).
        XCTAssertEqual(sampling.forChat.parameters, sampling.parameters)
    }

    func testGenerationConfigWithoutSamplingIsGreedy() throws {
        let file = try withGenerationConfig(#"{"bos_token_id": 1, "do_sample": false, "temperature": 0.7}"#)
        XCTAssertEqual(try file.recommendedSampling().parameters, SamplingParameters())
        XCTAssertEqual(try file.recommendedSampling().forChat.parameters, SamplingParameters(repetitionPenalty: 1.1, repetitionWindow: 64))
    }

    func testBadGenerationConfigNamesFileAndField() throws {
        for (json, field) in [(#"{"do_sample": true, "temperature": "hot"}"#, "temperature"),
                              (#"{"do_sample": true, "top_p": 1.5}"#, "top_p"), (#"{"do_sample": tru"#, "byte 17: unexpected end of file")] {
            let file = try withGenerationConfig(json)
            XCTAssertThrowsError(try file.recommendedSampling()) { error in
                let message = "\(error)"
                XCTAssertTrue(message.contains("generation_config.json") && message.contains(field), message)
            }
        }
    }

    func testGGUFWithoutRecommendationGetsLlamaCppDefaults() throws {
        let file = try ModelFile.open(path: ModelFileTestSupport.fixture("tiny-llama.gguf").path)
        XCTAssertEqual(try file.recommendedSampling(), .llamaCpp)
        XCTAssertEqual(RecommendedSampling.llamaCpp.parameters, SamplingParameters(temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05))
    }

    func testDefaultModelUsesTheSmolLM2ModelCard() throws {
        let path = LanguageModel.defaultModelPath
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("default model not fetched: \(path)") }
        let sampling = try ModelFile.open(path: path).recommendedSampling()
        XCTAssertEqual(sampling, .smolLM2)
        XCTAssertEqual(sampling.parameters, SamplingParameters(temperature: 0.2, topP: 0.9))
    }
}

/// The status bar's model name.
final class ModelDisplayNameTests: XCTestCase {
    func testLongGeneralNameGivesBasenameAndSizeLabel() throws {
        let path = LanguageModel.defaultModelPath
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("default model not fetched: \(path)") }
        let file = try ModelFile.open(path: path)
        XCTAssertGreaterThan(file.name.count, ModelFile.displayNameLimit, file.name)
        XCTAssertEqual(file.displayName, "smollm2-135M")
    }

    func testShortNamesStay() throws {
        let gguf = try ModelFile.open(path: ModelFileTestSupport.fixture("tiny-llama.gguf").path)
        XCTAssertEqual(gguf.displayName, gguf.name)
        let hf = try ModelFile.open(path: ModelFileTestSupport.fixture("tiny-llama-hf").path)
        XCTAssertEqual(hf.displayName, "tiny-llama-hf")
    }
}
