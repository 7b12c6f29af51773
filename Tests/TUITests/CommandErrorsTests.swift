import Foundation
import SkipChatEngine
import XCTest

/// Command-line errors on the release binary: the subcommand's usage, range messages, `--context`.
final class CommandErrorsTests: XCTestCase {
    /// `--version` on the root command and on a subcommand: the version line, exit 0, no model needed.
    func testVersionPrintsOneLine() throws {
        try CommandRunner.requireBinaryAndModel()
        for arguments in [["--version"], ["generate", "--version"]] {
            let result = try CommandRunner.run(arguments)
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertNotNil(result.stdout.wholeMatch(of: /skipchat \d+\.\d+\.\d+\n/), result.stdout)
        }
    }

    func testValidationAfterTheModelLoadsShowsTheSubcommandsUsage() throws {
        try CommandRunner.requireBinaryAndModel()
        let result = try CommandRunner.run(["generate", "--exit-layer", "99", "--prompt", "hi"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--exit-layer must be below the model's 30 layers"), result.stderr)
        XCTAssertTrue(result.stderr.contains("Usage: skipchat generate"), result.stderr)
    }

    func testNegativeNumbersGetTheRangeMessage() throws {
        try CommandRunner.requireBinaryAndModel()
        for (flag, message) in [("--temperature", "--temperature must be between 0 and 2 (got -1"), ("--top-k", "--top-k must be 0 or more (got -1)"),
                                ("--exit-layer", "--exit-layer must be 1 or more (got -1)")] {
            let result = try CommandRunner.run(["generate", flag, "-1", "--prompt", "hi"])
            XCTAssertNotEqual(result.status, 0)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
            XCTAssertFalse(result.stderr.contains("Missing value"), result.stderr)
        }
    }

    /// Regression: `chat` ran without a word under an unusable SKIPCHAT_KERNELS and ignored
    /// --precision (ChatCommand.run never applied the kernel options), while `generate` refused.
    func testChatAppliesTheKernelOptionsAsGenerateDoes() throws {
        try CommandRunner.requireBinaryAndModel()
        var refused = [("bogus", "SKIPCHAT_KERNELS=bogus is not a kernel path")]
        if let missing = KernelPath.allCases.first(where: { !$0.isSupported }) {
            refused.append((missing.rawValue, "this CPU cannot run the \(missing.rawValue) kernels"))
        }
        for (path, message) in refused {
            for command in [["chat", "--line"], ["generate", "--prompt", "hi"]] {
                let result = try CommandRunner.run(command, environment: ["SKIPCHAT_KERNELS": path], input: "")
                XCTAssertEqual(result.status, 1, "\(command) \(path)")
                XCTAssertTrue(result.stderr.contains(message), result.stderr)
                XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            }
        }
        let forced = try CommandRunner.run(["chat", "--line", "--precision", "fast"], environment: ["SKIPCHAT_KERNELS": "scalar"],
                                           input: "/quit\n")
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(forced.stdout.contains("kernels scalar, precision fast"), forced.stdout)
    }

    /// Regression: `chat --temperature 5` became 2 while `generate --temperature 5` used 5. One
    /// range now, and out of it both refuse in one line; the model's bounds likewise.
    func testOutOfRangeFlagsAreRefusedAlikeByChatAndGenerate() throws {
        try CommandRunner.requireBinaryAndModel()
        for (flags, message) in [(["--temperature", "5"], "--temperature must be between 0 and 2 (got 5)"),
                                 (["--dynamic", "0"], "--dynamic must be between 0.05 and 1 (got 0)"),
                                 (["--exit-layer", "30"], "--exit-layer must be below the model's 30 layers (got 30)")] {
            for command in [["chat", "--line"], ["generate", "--prompt", "hi"]] {
                let result = try CommandRunner.run(command + flags, input: "")
                XCTAssertNotEqual(result.status, 0, "\(command) \(flags)")
                XCTAssertTrue(result.stderr.contains(message), "\(command) \(flags): \(result.stderr)")
            }
        }
    }

    /// An unknown --kv-type is one line and exit status 1, for chat and generate alike; a known
    /// one runs.
    func testUnknownKVTypeIsOneLine() throws {
        try CommandRunner.requireBinaryAndModel()
        for command in [["chat", "--line"], ["generate", "--prompt", "hi"]] {
            let result = try CommandRunner.run(command + ["--kv-type", "q4"], input: "")
            XCTAssertEqual(result.status, 1, "\(command)")
            XCTAssertEqual(result.stderr, "skipchat: --kv-type q4 is not a KV cache type (one of: f32, f16, bf16)\n", "\(command)")
        }
        let bf16 = try CommandRunner.run(["generate", "--kv-type", "bf16", "--max-tokens", "4", "--prompt", "hi"])
        XCTAssertEqual(bf16.status, 0, bf16.stderr)
    }

    func testGenerateContextWindow() throws {
        try CommandRunner.requireBinaryAndModel()
        let full = try CommandRunner.run(["generate", "--context", "60", "--max-tokens", "200", "--json",
                                          "--prompt", "Write a long story about a dragon who bakes bread."])
        XCTAssertEqual(full.status, 0, full.stderr)
        XCTAssertTrue(full.stderr.contains("the reply stopped at the end of the 60-token context window"), full.stderr)
        XCTAssertTrue(full.stdout.contains(#""reason":"context_full""#) || full.stdout.contains(#""reason":"contextFull""#), full.stdout)
        let small = try CommandRunner.run(["generate", "--context", "8", "--prompt", "hi"])
        XCTAssertNotEqual(small.status, 0)
        XCTAssertTrue(small.stderr.contains("--context must be between 16 and the model's context, 8192"), small.stderr)
        let long = try CommandRunner.run(["generate", "--context", "16", "--prompt", String(repeating: "bread ", count: 40)])
        XCTAssertNotEqual(long.status, 0)
        XCTAssertTrue(long.stderr.contains("the context holds 16"), long.stderr)
    }
}

/// `--adapters PATH` picks the draft sidecar.
final class AdapterPathTests: XCTestCase {
    func testAdaptersPathIsUsedOrReported() throws {
        try CommandRunner.requireBinaryAndModel()
        let missing = try CommandRunner.run(["generate", "--adapters", "/nonexistent/a.safetensors", "--prompt", "hi"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("--adapters /nonexistent/a.safetensors: no such file"), missing.stderr)
        let both = try CommandRunner.run(["generate", "--adapters", "/tmp", "--no-adapters", "--prompt", "hi"])
        XCTAssertTrue(both.stderr.contains("--adapters and --no-adapters contradict each other"), both.stderr)
    }

    func testExplicitSidecarIsLoaded() throws {
        let model = LanguageModel.defaultModelPath
        let beside = model + ".exit-adapters.safetensors"
        guard FileManager.default.fileExists(atPath: beside) else { throw XCTSkip("no sidecar beside the default model (\(beside))") }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-adapters-\(UUID()).safetensors").path
        try FileManager.default.copyItem(atPath: beside, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let loaded = try LanguageModel.load(path: nil, threads: 1, adapterPath: copy)
        XCTAssertTrue(loaded.adapterSummary?.hasSuffix("(\(URL(fileURLWithPath: copy).lastPathComponent))") ?? false,
                      loaded.adapterSummary ?? loaded.adapterWarning ?? "nothing loaded")
        let broken = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-adapters-\(UUID()).safetensors").path
        try Data("not a safetensors file".utf8).write(to: URL(fileURLWithPath: broken))
        defer { try? FileManager.default.removeItem(atPath: broken) }
        let refused = try LanguageModel.load(path: nil, threads: 1, adapterPath: broken)
        XCTAssertNil(refused.adapterSummary)
        XCTAssertTrue(refused.adapterWarning?.contains(broken) ?? false, refused.adapterWarning ?? "no warning")
    }
}
