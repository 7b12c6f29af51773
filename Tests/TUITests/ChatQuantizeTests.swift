import Foundation
import XCTest

/// `chat --quantize` and config.toml's `quantize` on the tiny HF checkpoint
/// (Tests/EngineTests/Fixtures/tiny-llama-hf, made by scripts/fixtures/make_model_fixtures.py):
/// quantised once into `$XDG_CACHE_HOME/skipchat/quantized/`, reused at the next
/// start, its progress bar drawn before the chat (full screen or line mode) starts.
final class ChatQuantizeTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-chat-quantize-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: scratch)
    }

    private var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("EngineTests/Fixtures")
    }

    private func copies(_ cache: URL) -> [String: Date] {
        let directory = cache.appendingPathComponent("skipchat/quantized")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return Dictionary(uniqueKeysWithValues: names.map { name in
            (name, (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.modificationDate] as? Date) ?? .distantPast)
        })
    }

    /// Line mode from a pipe: the copy is made at the first start and reused (not rewritten) at
    /// the next, by the flag and by config.toml alike, and the greedy replies agree; config's
    /// `quantize` leaves a GGUF model as stored.
    func testTheCopyIsMadeOnceAndReusedByFlagAndConfig() throws {
        guard FileManager.default.isExecutableFile(atPath: TmuxHarness.binary) else { throw XCTSkip("no skipchat binary at \(TmuxHarness.binary)") }
        let checkpoint = fixtures.appendingPathComponent("tiny-llama-hf").path
        let cache = scratch.appendingPathComponent("cache")
        let environment = ["XDG_CACHE_HOME": cache.path, "XDG_STATE_HOME": scratch.appendingPathComponent("state").path,
                           "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path]
        let chat = ["chat", "--line", "--greedy", "--max-tokens", "6", "--model", checkpoint]

        let first = try CommandRunner.run(chat + ["--quantize", "q8_0"], environment: environment, input: "hello\n")
        XCTAssertEqual(first.status, 0, first.stderr)
        let made = copies(cache)
        XCTAssertEqual(made.count, 1, "\(made)")
        XCTAssertTrue(made.keys.first?.hasSuffix(".q8_0.gguf") == true, "\(made)")

        let again = try CommandRunner.run(chat + ["--quantize", "q8_0"], environment: environment, input: "hello\n")
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, first.stdout)
        XCTAssertEqual(copies(cache), made, "the copy is reused, not made again")

        let config = scratch.appendingPathComponent("config.toml")
        try Data("quantize = \"q8_0\"\n".utf8).write(to: config)
        let byConfig = try CommandRunner.run(chat + ["--config", config.path], environment: environment, input: "hello\n")
        XCTAssertEqual(byConfig.status, 0, byConfig.stderr)
        XCTAssertEqual(byConfig.stdout, first.stdout)
        XCTAssertEqual(copies(cache), made)

        let gguf = try CommandRunner.run(["chat", "--line", "--greedy", "--max-tokens", "4", "--config", config.path,
                                          "--model", fixtures.appendingPathComponent("tiny-llama.gguf").path],
                                         environment: environment, input: "hello\n")
        XCTAssertEqual(gguf.status, 0, gguf.stderr)
        XCTAssertEqual(copies(cache), made, "config's quantize leaves a GGUF file as stored")

        let refused = try CommandRunner.run(["chat", "--line", "--quantize", "q4_k", "--model", fixtures.appendingPathComponent("tiny-llama.gguf").path],
                                            environment: environment, input: "hello\n")
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("a GGUF file is used as stored"), refused.stderr)
    }

    /// In a terminal the bar is drawn before the chat takes over: above the line-mode banner, and
    /// on the normal screen under the full-screen chat (seen again after quitting).
    func testTheProgressBarComesBeforeTheChat() throws {
        let checkpoint = fixtures.appendingPathComponent("tiny-llama-hf").path
        for line in [true, false] {
            let cache = scratch.appendingPathComponent("cache-\(line)")
            let chat = try TmuxHarness(columns: 120, arguments: (line ? ["--line"] : []) + ["--quantize", "q4_k", "--model", checkpoint],
                                       environment: ["XDG_CACHE_HOME": cache.path])
            try chat.waitUntilReady()
            if line {
                let screen = try chat.capture()
                let bar = try XCTUnwrap(screen.range(of: "quantising to Q4_K (once; cached) 100%"), screen)
                let banner = try XCTUnwrap(screen.range(of: "line mode"), screen)
                XCTAssertLessThan(bar.lowerBound, banner.lowerBound, screen)
                try chat.send("C-d")
            } else {
                XCTAssertEqual(try chat.format("#{alternate_on}"), "1")
                try chat.send("C-c")
                try chat.send("C-c")
            }
            let end = try chat.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=") }
            XCTAssertTrue(end.contains("EXIT=0"), end)
            XCTAssertTrue(end.contains("quantising to Q4_K (once; cached) 100%"), end)
            XCTAssertEqual(copies(cache).count, 1)
        }
    }
}
