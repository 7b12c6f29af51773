import Foundation
import XCTest

/// `TERM=dumb` and `--line` give the plain line mode (the real binary in tmux).
final class LineModeEndToEndTests: XCTestCase {
    func testDumbTerminalGetsLineMode() throws {
        let chat = try TmuxHarness(arguments: ["--greedy", "--system", "Be brief."], term: "dumb")
        try chat.waitUntilReady()
        XCTAssertEqual(try chat.format("#{alternate_on}"), "0")
        try chat.ask("What is the capital of France?")
        let isPrompt = { (screen: String) in screen.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) == ">" }
        let screen = try chat.waitFor("the answer", timeout: 180) { $0.lowercased().contains("paris") && isPrompt($0) }
        XCTAssertFalse(try chat.capture(escapes: true).contains("\u{1b}"), screen)
        try chat.ask("/system Answer in French.")
        try chat.waitFor("the notice", timeout: 10) { $0.contains("-- system prompt: Answer in French.") && isPrompt($0) }
        try chat.ask("Tell me a very long story about bread, with many details.")
        try chat.waitFor("the reply to start", timeout: 120) { !isPrompt($0) && $0.split(separator: "\n").count > 8 }
        try chat.send("C-c")
        try chat.waitFor("the stop", timeout: 30) { $0.contains("-- stopped") && isPrompt($0) }
        try chat.send("C-d")
        let end = try chat.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=") }
        XCTAssertTrue(end.contains("EXIT=0"), end)
    }

    func testLineFlagForcesLineMode() throws {
        let chat = try TmuxHarness(arguments: ["--line"])
        try chat.waitUntilReady()
        XCTAssertEqual(try chat.format("#{alternate_on}"), "0")
        try chat.send("C-c")
        try chat.waitFor("the armed Ctrl-C", timeout: 10) { $0.contains("Ctrl-C again quits") }
        try chat.send("C-c")
        let end = try chat.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=") }
        XCTAssertTrue(end.contains("EXIT=0"), end)
    }

    /// A terminal curses cannot drive (no terminfo entry, or no cursor addressing) falls back to line mode.
    func testUnknownTerminalFallsBackToLineMode() throws {
        let chat = try TmuxHarness(term: "no-such-terminal")
        try chat.waitUntilReady()
        let screen = try chat.capture()
        XCTAssertTrue(screen.contains("using line mode"), screen)
        XCTAssertEqual(try chat.format("#{alternate_on}"), "0")
        try chat.send("C-d")
        let end = try chat.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=") }
        XCTAssertTrue(end.contains("EXIT=0"), end)
    }
}
