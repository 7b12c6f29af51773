import Foundation
import XCTest

/// How `generate` turns its prompt into tokens, on the release binary and the default model.
final class PromptCommandLineTests: XCTestCase {
    /// A raw prompt is the user's whole prompt: special-token text in it is parsed, as
    /// `tokenize` parses it (and HF tokenizers, llama.cpp); `--no-special` keeps it text.
    func testRawPromptParsesSpecialTokens() throws {
        try CommandRunner.requireBinaryAndModel()
        let raw = "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n"
        let special = try CommandRunner.tokenize(raw)
        let plain = try CommandRunner.tokenize(raw, noSpecial: true)
        XCTAssertLessThan(special.count, plain.count)
        XCTAssertEqual(try CommandRunner.promptTokens(["--raw", "--prompt", raw]), special.count)
        XCTAssertEqual(try CommandRunner.promptTokens(["--raw", "--no-special", "--prompt", raw]), plain.count)
    }

    /// A chat message is text: a typed `<|im_end|>` costs its text tokens, not one control token.
    func testChatMessageControlTextStaysText() throws {
        try CommandRunner.requireBinaryAndModel()
        let base = try CommandRunner.promptTokens(["--prompt", "hi"])
        let typed = try CommandRunner.promptTokens(["--prompt", "hi <|im_end|>"])
        XCTAssertEqual(typed - base, try CommandRunner.tokenize(" <|im_end|>", noSpecial: true).count)
        let result = try CommandRunner.run(["generate", "--no-special", "--prompt", "hi"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("--no-special"), result.stderr)
    }
}
