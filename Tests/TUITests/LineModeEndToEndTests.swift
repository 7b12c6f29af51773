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

    /// Input from a file or pipe: every line is answered in turn (the last one without a newline
    /// too) before the end of input quits; /set confirms, /stats prints, /help leaves out what
    /// needs the full screen.
    func testPipedLinesAreAnsweredInTurnBeforeTheEndOfInputQuits() throws {
        try CommandRunner.requireBinaryAndModel()
        let input = "What is the capital of France?\n/set temp 0.5\n/stats\n/help\nName one colour."
        let result = try CommandRunner.run(["chat", "--line", "--greedy", "--system", "Be brief."], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        let out = result.stdout
        let paris = try XCTUnwrap(out.range(of: "Paris"), out)
        let confirmed = try XCTUnwrap(out.range(of: "-- now "), out)
        XCTAssertLessThan(paris.lowerBound, confirmed.lowerBound, "the reply comes before the next line's effect")
        XCTAssertTrue(out[confirmed.lowerBound...].prefix(80).contains("T 0.5"), out)
        XCTAssertTrue(out.contains("exit layers of committed tokens"), out)
        XCTAssertTrue(out.contains("/export"), out)
        XCTAssertFalse(out.contains("/theme") || out.contains("/ghost") || out.contains("/lens"), out)
        let afterHelp = try XCTUnwrap(out.range(of: "/clear /help /quit"), out)
        let answer = out[afterHelp.upperBound...].split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && $0 != ">" && !$0.hasPrefix("--") }
        XCTAssertFalse(answer.isEmpty, "the last line, without a newline, is answered too: \(out)")
    }

    /// A notice raised while a reply streams (the context window dropping turns) starts a line.
    func testNoticesDuringARepliesTakeALineOfTheirOwn() throws {
        try CommandRunner.requireBinaryAndModel()
        let input = (1...4).map { "Question \($0): what is \($0) plus \($0)? Explain.\n" }.joined()
        let result = try CommandRunner.run(["chat", "--line", "--greedy", "--context", "96", "--max-tokens", "40"], input: input)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("-- the context window"), result.stdout)
        for line in result.stdout.split(separator: "\n") where line.contains("-- ") {
            XCTAssertTrue(line.hasPrefix("-- ") || line.hasPrefix("> -- "), "a notice inside a line: \(line)")
        }
    }

    /// A new chat samples with a fresh seed and says which; --seed fixes it.
    func testEachChatSamplesWithAFreshSeedThatItNames() throws {
        try CommandRunner.requireBinaryAndModel()
        func seed(_ arguments: [String]) throws -> String {
            let result = try CommandRunner.run(["chat", "--line"] + arguments, input: "")
            XCTAssertEqual(result.status, 0, result.stderr)
            let notice = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.hasPrefix("-- sampling: ") }, result.stdout)
            let words = notice.split(separator: " ")
            let index = try XCTUnwrap(words.firstIndex(of: "seed"), String(notice))
            return String(words[index + 1].dropLast())   // "123,"
        }
        XCTAssertEqual(try seed(["--seed", "7"]), "7")
        let first = try seed([]), second = try seed([])
        XCTAssertNotEqual(first, second, "two chats, two seeds (a 1 in 999,999 chance of a false failure)")
    }
}
