import Foundation
import XCTest
@testable import SkipChatHub

/// `skipchat pull` and `--model hf:` on the release binary (SKIPCHAT_BIN), against the loopback Hub.
final class HubCommandTests: XCTestCase {
    func run(_ arguments: [String], hub: FakeHub, extra: [String: String] = [:], input: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        guard let binary = ProcessInfo.processInfo.environment["SKIPCHAT_BIN"], FileManager.default.isExecutableFile(atPath: binary) else {
            throw XCTSkip("set SKIPCHAT_BIN to the release binary (swift build -c release)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HF_HOME"] = hub.cache.deletingLastPathComponent().path
        environment["HF_ENDPOINT"] = hub.endpoint.absoluteString
        environment["HF_TOKEN"] = nil
        environment.merge(extra) { $1 }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let input {
            let file = hub.root.deletingLastPathComponent().appendingPathComponent("stdin-\(UUID())")
            try Data(input.utf8).write(to: file)
            process.standardInput = try FileHandle(forReadingFrom: file)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    func testHubErrorsAreOneLineAndExitOne() throws {
        let hub = try FakeHub()
        try hub.addRepository("org/gated", files: ["g-Q8_0.gguf": pseudoRandomBytes(10, seed: 1), ".token": Data("hf_x".utf8)])
        for (arguments, message) in [(["pull", "org/missing"], "no such model on the Hub"),
                                     (["pull", "org/gated"], "is gated: a Hugging Face token is needed"),
                                     (["info", "--model", "hf:org/gated"], "request access at \(hub.endpoint.absoluteString)/org/gated"),
                                     (["generate", "--model", "hf:not a model", "--prompt", "hi"], "hf:not a model: a model is named ORG/NAME")] {
            let result = try run(arguments, hub: hub)
            XCTAssertEqual(result.status, 1, "\(arguments)")
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
    }

    /// The loopback Hub serving the default model as HuggingFaceTB/SmolLM2-135M-Instruct-GGUF.
    func hubServingTheDefaultModel() throws -> FakeHub {
        let model = (ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? NSHomeDirectory() + "/.cache") + "/skipchat/models/SmolLM2-135M-Instruct.Q4_1.gguf"
        guard FileManager.default.fileExists(atPath: model) else { throw XCTSkip("the default model is not installed (scripts/fetch-model.sh)") }
        let hub = try FakeHub()
        let repository = hub.root.appendingPathComponent("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: repository.appendingPathComponent("SmolLM2-135M-Instruct-Q4_1.gguf").path, withDestinationPath: model)
        return hub
    }

    /// The default model served by the loopback Hub: pulled, then loaded by `--model hf:` offline.
    func testPulledModelLoadsByHubName() throws {
        let hub = try hubServingTheDefaultModel()
        let pulled = try run(["pull", "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF:Q4_1"], hub: hub)
        XCTAssertEqual(pulled.status, 0, pulled.stderr)
        XCTAssertTrue(pulled.stdout.hasSuffix("/SmolLM2-135M-Instruct-Q4_1.gguf\n"), pulled.stdout)
        let generated = try run(["generate", "--model", "hf:HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", "--greedy", "--max-tokens", "8",
                                 "--prompt", "What is the capital of France?"], hub: hub, extra: ["HF_HUB_OFFLINE": "1"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.contains("Paris"), generated.stdout)
    }

    /// `model = "hf:…"` in config.toml works as `--model hf:…` does: the chat pulls it into the
    /// cache, and with HF_HUB_OFFLINE reads it from there without a request.
    func testConfigFileModelOnTheHubIsPulledThenServedOffline() throws {
        let hub = try hubServingTheDefaultModel()
        let config = hub.root.deletingLastPathComponent().appendingPathComponent("config.toml")
        try Data("model = \"hf:HuggingFaceTB/SmolLM2-135M-Instruct-GGUF:q4_1\"\n".utf8).write(to: config)
        let arguments = ["chat", "--line", "--config", config.path, "--greedy", "--max-tokens", "12", "--system", "Be brief."]
        let state = ["XDG_STATE_HOME": hub.root.deletingLastPathComponent().appendingPathComponent("state").path]
        for offline in [false, true] {
            let before = hub.requests().count
            let chat = try run(arguments, hub: hub, extra: offline ? state.merging(["HF_HUB_OFFLINE": "1"]) { $1 } : state,
                               input: "What is the capital of France?\n")
            XCTAssertEqual(chat.status, 0, chat.stderr)
            XCTAssertTrue(chat.stdout.contains("Paris"), chat.stdout)
            XCTAssertTrue(chat.stderr.contains("models--HuggingFaceTB--SmolLM2-135M-Instruct-GGUF/snapshots/"), chat.stderr)
            if offline {
                XCTAssertEqual(hub.requests().count, before, "offline makes no request")
            } else {
                XCTAssertTrue(hub.requests().contains { $0.path.hasPrefix("/cdn/") }, "the model was pulled")
            }
        }
        let missing = hub.root.deletingLastPathComponent().appendingPathComponent("missing.toml")
        try Data("model = \"hf:org/missing\"\n".utf8).write(to: missing)
        let refused = try run(["chat", "--line", "--config", missing.path], hub: hub, extra: state, input: "hi\n")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("org/missing: no such model on the Hub"), refused.stderr)
    }
}
