import Foundation
import XCTest
@testable import SkipChatHub

/// `ORG/NAME[:QUANT]`, the environment variables huggingface_hub reads, and which files of a
/// repository make the model.
final class HubReferenceTests: XCTestCase {
    func testReferencesParseAndBadOnesSayWhy() throws {
        let plain = try HubModelReference(parsing: "facebook/layerskip-llama3.2-1B")
        XCTAssertEqual(plain.repository, "facebook/layerskip-llama3.2-1B")
        XCTAssertNil(plain.quant)
        XCTAssertEqual(plain.cacheFolderName, "models--facebook--layerskip-llama3.2-1B")
        let quant = try HubModelReference(parsing: "bartowski/Qwen2.5-0.5B-Instruct-GGUF:q4_k_m")
        XCTAssertEqual(quant.quant, "q4_k_m")
        for bad in ["noslash", "a/b/c", "/name", "org/", "org/na me", "org/--x", "org/x..y", "org/-x", "org/x.", "org/x:", "org/x:Q4 K",
                    "org/" + String(repeating: "a", count: 97), "org/x\u{1B}[2J"] {
            XCTAssertThrowsError(try HubModelReference(parsing: bad), bad) { error in
                let text = "\(error)"
                XCTAssertTrue(text.hasPrefix("hf:"), text)
                XCTAssertFalse(text.contains("\n"), text)
            }
        }
        // A pasted URL says how to name the model instead of complaining about the ':' of "https:".
        XCTAssertThrowsError(try HubModelReference(parsing: "https://huggingface.co/test/tiny-GGUF")) { error in
            XCTAssertTrue("\(error)".contains("not by its URL"), "\(error)")
        }
    }

    func testEnvironmentFollowsHuggingFaceHubConstants() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-hubenv-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Data("hf_fromfile\n".utf8).write(to: scratch.appendingPathComponent("token"))

        let defaults = HubEnvironment.current(["HOME": "/home/u", "XDG_CACHE_HOME": "/x/cache"])
        XCTAssertEqual(defaults.endpoint.absoluteString, "https://huggingface.co")
        XCTAssertEqual(defaults.cacheDirectory.path, "/x/cache/huggingface/hub")
        XCTAssertFalse(defaults.offline)

        let home = HubEnvironment.current(["HF_HOME": scratch.path, "HF_ENDPOINT": "http://mirror.example/", "HF_HUB_OFFLINE": "yes"])
        XCTAssertEqual(home.cacheDirectory.path, scratch.path + "/hub")
        XCTAssertEqual(home.token, "hf_fromfile")
        XCTAssertEqual(home.endpoint.absoluteString, "http://mirror.example")
        XCTAssertTrue(home.offline)
        XCTAssertEqual(home.page(of: "org/name"), "http://mirror.example/org/name")

        let explicit = HubEnvironment.current(["HF_HOME": scratch.path, "HF_TOKEN": "hf_env", "HF_HUB_CACHE": "/elsewhere", "HF_HUB_OFFLINE": "0"])
        XCTAssertEqual(explicit.token, "hf_env")
        XCTAssertEqual(explicit.cacheDirectory.path, "/elsewhere")
        XCTAssertFalse(explicit.offline)
        XCTAssertEqual(HubEnvironment.current(["HUGGINGFACE_HUB_CACHE": "/legacy"]).cacheDirectory.path, "/legacy")
        XCTAssertEqual(HubEnvironment.current(["HF_TOKEN_PATH": scratch.path + "/token", "HF_HOME": "/none"]).token, "hf_fromfile")
    }

    func testQuantPicksOneGGUFCaseInsensitivelyAndSeveralAreListed() throws {
        let files = ["README.md", "Qwen2.5-0.5B-Instruct-Q4_K_M.gguf", "Qwen2.5-0.5B-Instruct-Q4_K_S.gguf", "Qwen2.5-0.5B-Instruct-Q8_0.gguf",
                     "Qwen2.5-0.5B-Instruct-f16.gguf", "mmproj-model-f16.gguf"]
        XCTAssertEqual(try HubModelFiles.pick(from: files, quant: "q4_k_m", repository: "o/n").files, ["Qwen2.5-0.5B-Instruct-Q4_K_M.gguf"])
        XCTAssertEqual(try HubModelFiles.pick(from: files, quant: "F16", repository: "o/n").modelPath, "Qwen2.5-0.5B-Instruct-f16.gguf")
        // Q4_K must not match Q4_K_M or Q4_K_S by a suffix of their names.
        XCTAssertThrowsError(try HubModelFiles.pick(from: files, quant: "K_M", repository: "o/n"))
        XCTAssertThrowsError(try HubModelFiles.pick(from: files, quant: nil, repository: "o/n")) { error in
            XCTAssertEqual(error as? HubError, .severalQuants(repository: "o/n", choices: ["Q4_K_M", "Q4_K_S", "Q8_0", "f16"]))
            XCTAssertTrue("\(error)".contains("hf:o/n:QUANT"), "\(error)")
        }
        XCTAssertThrowsError(try HubModelFiles.pick(from: files, quant: "Q5_K_M", repository: "o/n")) { error in
            XCTAssertEqual(error as? HubError, .quantNotFound(repository: "o/n", quant: "Q5_K_M", choices: ["Q4_K_M", "Q4_K_S", "Q8_0", "f16"]))
        }
        XCTAssertEqual(try HubModelFiles.pick(from: ["a.gguf", "README.md"], quant: nil, repository: "o/n").files, ["a.gguf"])
    }

    func testCheckpointRepositoriesFetchWhatTheLoaderReads() throws {
        let files = [".gitattributes", "README.md", "config.json", "generation_config.json", "model-00001-of-00002.safetensors",
                     "model-00002-of-00002.safetensors", "model.safetensors.index.json", "original/consolidated.00.pth",
                     "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json", "LICENSE"]
        let picked = try HubModelFiles.pick(from: files, quant: nil, repository: "o/n")
        XCTAssertEqual(Set(picked.files), ["config.json", "generation_config.json", "model-00001-of-00002.safetensors",
                                           "model-00002-of-00002.safetensors", "model.safetensors.index.json", "special_tokens_map.json",
                                           "tokenizer.json", "tokenizer_config.json"])
        XCTAssertEqual(picked.modelPath, "")
        XCTAssertThrowsError(try HubModelFiles.pick(from: files, quant: "Q8_0", repository: "o/n")) { error in
            XCTAssertEqual(error as? HubError, .quantWithoutGGUF(repository: "o/n", quant: "Q8_0"))
        }
        XCTAssertThrowsError(try HubModelFiles.pick(from: ["README.md"], quant: nil, repository: "o/n")) { error in
            XCTAssertEqual(error as? HubError, .noModelFiles(repository: "o/n"))
        }
    }
}
