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
            (["generate", "--draft-head", "lots", "--prompt", "hi"], "skipchat: --draft-head must be auto, full or a number of rows ≥ 1 (got lots)"),
            (["generate", "--draft-head", "0", "--prompt", "hi"], "skipchat: --draft-head must be auto, full or a number of rows ≥ 1 (got 0)"),
            (["generate", "--draft-head", "49153", "--prompt", "hi"],
             "skipchat: a draft head of 49153 rows: the vocabulary has 49152 ids (use auto, full or 1 … 49152)"),
            (["bench", "sweep", "--draft-head", "x"], "skipchat: --draft-head must be auto, full or a number of rows ≥ 1 (got x)"),
            (["bench", "acceptance", "--draft-head", "-5"], "skipchat: --draft-head must be auto, full or a number of rows ≥ 1 (got -5)"),
            (["bench", "acceptance", "--synthetic", "llama3.2-1b", "--draft-head", "200000"],
             "skipchat: a draft head of 200000 rows: the vocabulary has 128256 ids"),
            (["chat", "--line", "--draft-head", "some"], "skipchat: --draft-head must be auto, full or a number of rows ≥ 1 (got some)"),
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

    /// The knob's range: the words auto and full (any case) or a whole number of rows ≥ 1, each
    /// read into the `DraftHeadRequest` the engine gets.
    func testKnobReadsEveryForm() throws {
        let knob = Knob[.draftHead]
        let accepted: [(String, DraftHeadRequest)] = [("auto", .auto), ("FULL", .full), ("1", .rows(1)), ("4096", .rows(4096))]
        for (text, request) in accepted {
            let value = try knob.parse(text).get()
            XCTAssertNil(knob.problem(value), text)
            var options = ChatOptions()
            options.set(.draftHead, value)
            XCTAssertEqual(options.draftHead, request, text)
            XCTAssertEqual(options.value(of: .draftHead), value, text)
        }
        for text in ["0", "-5", "lots", "", "2.5"] {
            XCTAssertNotNil(knob.problem(try knob.parse(text).get()), text)
        }
    }

    func testConfigKey() throws {
        XCTAssertEqual(try ChatConfig.parse("draft_head = \"full\"", source: "c.toml").draftHead, .full)
        XCTAssertEqual(try ChatConfig.parse("draft_head = 2048", source: "c.toml").draftHead, .rows(2048))
        XCTAssertEqual(try ChatConfig.parse("draft_head = \"4096\"", source: "c.toml").draftHead, .rows(4096))
        XCTAssertEqual(try ChatConfig.parse("draft_head = \"auto\"", source: "c.toml").draftHead, .auto)
        XCTAssertNil(try ChatConfig.parse("depth = 2", source: "c.toml").draftHead)
        XCTAssertThrowsError(try ChatConfig.parse("draft_head = \"most\"", source: "c.toml")) { error in
            XCTAssertEqual("\(error)", "c.toml: draft_head must be auto, full or a number of rows ≥ 1 (got most)")
        }
        XCTAssertThrowsError(try ChatConfig.parse("draft_head = 0", source: "c.toml")) { error in
            XCTAssertEqual("\(error)", "c.toml: draft_head must be auto, full or a number of rows ≥ 1 (got 0)")
        }
        XCTAssertThrowsError(try ChatConfig.parse("draft_head = 1.5", source: "c.toml")) { error in
            XCTAssertEqual("\(error)", "c.toml: field 'draft_head' has the wrong type")
        }
        var flags = ChatOptions()
        flags.draftHead = .rows(512)
        var file = ChatOptions()
        file.draftHead = .full
        XCTAssertEqual(flags.merged(over: file).draftHead, .rows(512))
        XCTAssertEqual(ChatOptions().merged(over: file).draftHead, .full)
    }
}
