import Foundation
import XCTest

/// A model without a chat template: every command that renders a conversation refuses it in
/// one line naming the file (before the chat takes the terminal); a raw prompt and a template
/// named with --template still work.
final class MissingTemplateCommandTests: XCTestCase {
    private var directory: URL!
    private var checkpoint: URL { directory.appendingPathComponent("tiny-llama-hf") }
    private var config: URL { checkpoint.appendingPathComponent("tokenizer_config.json") }

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: TmuxHarness.binary) else {
            throw XCTSkip("no skipchat binary at \(TmuxHarness.binary) (build it, or set SKIPCHAT_BIN)")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-no-template-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../EngineTests/Fixtures/tiny-llama-hf").standardizedFileURL
        try FileManager.default.copyItem(at: fixture, to: checkpoint)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any])
        object["chat_template"] = nil
        try JSONSerialization.data(withJSONObject: object).write(to: config)
    }

    override func tearDown() {
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    private let environment = ["SKIPCHAT_KERNELS": "", "NO_COLOR": "1"]

    func testCommandsThatRenderAConversationNameTheFile() throws {
        let expected = "skipchat: \(config.path): has no chat_template (nor is there a chat_template.jinja); pass --template NAME"
        for arguments in [["chat", "--line"], ["chat"], ["generate", "--prompt", "hi"], ["bench", "sweep", "--max-tokens", "1"]] {
            let result = try CommandRunner.run(arguments + ["--model", checkpoint.path, "--threads", "1"], environment: environment,
                                               input: "hello\n/quit\n")
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n").filter { !$0.hasPrefix("skipchat: loading ") }
            XCTAssertEqual(lines.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(lines.first?.hasPrefix(expected) ?? false, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments): the terminal is left alone")
        }
    }

    func testRawPromptsAndNamedTemplatesStillWork() throws {
        let raw = try CommandRunner.run(["generate", "--raw", "--prompt", "hello", "--max-tokens", "2", "--model", checkpoint.path,
                                         "--threads", "1"], environment: environment)
        XCTAssertEqual(raw.status, 0, raw.stderr)
        let named = try CommandRunner.run(["generate", "--template", "chatml", "--prompt", "hello", "--max-tokens", "2",
                                           "--model", checkpoint.path, "--threads", "1"], environment: environment)
        XCTAssertEqual(named.status, 0, named.stderr)
        let chat = try CommandRunner.run(["chat", "--line", "--template", "chatml", "--model", checkpoint.path, "--threads", "1"],
                                         environment: environment, input: "/quit\n")
        XCTAssertEqual(chat.status, 0, chat.stderr)
    }
}
