import Foundation
import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// `--draft-head` on the command line and `draft_head` in the config file.
final class DraftHeadCommandTests: XCTestCase {
    /// A value that is neither auto, full nor a number of rows the vocabulary holds: one line on
    /// standard error, non-zero exit, for every command that runs the model.
    func testBadValueIsOneLine() throws {
        try CommandRunner.requireBinaryAndModel()
        let cases: [([String], String)] = [
            (["generate", "--draft-head", "lots", "--prompt", "hi"], "skipchat: --draft-head lots: use auto, full or a number of rows"),
            (["generate", "--draft-head", "0", "--prompt", "hi"], "skipchat: --draft-head 0: use auto, full or a number of rows"),
            (["generate", "--draft-head", "49153", "--prompt", "hi"],
             "skipchat: a draft head of 49153 rows: the vocabulary has 49152 ids (use auto, full or 1 … 49152)"),
            (["bench", "sweep", "--draft-head", "x"], "skipchat: --draft-head x: use auto, full or a number of rows"),
            (["bench", "acceptance", "--draft-head", "-5"], "skipchat: --draft-head -5: use auto, full or a number of rows"),
            (["bench", "acceptance", "--synthetic", "llama3.2-1b", "--draft-head", "200000"],
             "skipchat: a draft head of 200000 rows: the vocabulary has 128256 ids"),
            (["chat", "--line", "--draft-head", "some"], "skipchat: --draft-head some: use auto, full or a number of rows"),
        ]
        for (arguments, message) in cases {
            let result = try CommandRunner.run(arguments)
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
            XCTAssertEqual(lines.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix(message), "\(arguments): \(result.stderr)")
        }
    }

    /// `info` names the draft head in use.
    func testInfoShowsTheDraftHead() throws {
        try CommandRunner.requireBinaryAndModel()
        let result = try CommandRunner.run(["info"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("draft head: ") })
        XCTAssertTrue(line.contains(" of 49152 rows ("), String(line))
        XCTAssertTrue(line.contains("covers ") && line.contains("% of the corpus tokens"), String(line))
    }

    func testConfigKey() throws {
        XCTAssertEqual(try ChatConfig.parse("draft_head = \"full\"", source: "c.toml").draftHead, .full)
        XCTAssertEqual(try ChatConfig.parse("draft_head = 2048", source: "c.toml").draftHead, .rows(2048))
        XCTAssertEqual(try ChatConfig.parse("draft_head = \"auto\"", source: "c.toml").draftHead, .auto)
        XCTAssertNil(try ChatConfig.parse("depth = 2", source: "c.toml").draftHead)
        XCTAssertThrowsError(try ChatConfig.parse("draft_head = \"most\"", source: "c.toml")) { error in
            XCTAssertEqual("\(error)", "c.toml: draft_head = \"most\" (use auto, full or a number of rows)")
        }
        var flags = ChatOptions()
        flags.draftHead = .rows(512)
        var file = ChatOptions()
        file.draftHead = .full
        XCTAssertEqual(flags.merged(over: file).draftHead, .rows(512))
        XCTAssertEqual(ChatOptions().merged(over: file).draftHead, .full)
    }
}
