import Foundation
@testable import SkipChatTUI
import XCTest

/// The real binary in tmux, on the default model (see `TmuxHarness` for when these skip).
final class EndToEndTests: XCTestCase {
    /// The status bar's exit layer, "E 7/30" → 7.
    private func exitLayer(in screen: String) -> Int? {
        guard let first = screen.split(separator: "\n").first,
              let range = first.range(of: #"E (\d+)/\d+"#, options: .regularExpression) else { return nil }
        return Int(first[range].dropFirst(2).split(separator: "/")[0])
    }

    private func isGenerating(_ screen: String) -> Bool { screen.split(separator: "\n").first?.contains("●") ?? false }

    func testPromptGivesColouredAnswer() throws {
        // Greedy: the chat samples by default (T 0.2, top-p 0.9 for SmolLM2), which may not say Paris.
        let chat = try TmuxHarness(arguments: ["--greedy"])
        try chat.waitUntilReady()
        try chat.ask("What is the capital of France?")
        let screen = try chat.waitFor("the answer", timeout: 180) { $0.lowercased().contains("paris") && !self.isGenerating($0) }
        let coloured = try chat.capture(escapes: true)
        let lines = coloured.split(separator: "\n")
        guard let answer = lines.first(where: { $0.lowercased().contains("paris") }) else { return XCTFail(screen) }
        let colours = Set(answer.matches(of: #/\x1b\[[0-9;]*38;(?:5;\d+|2;\d+;\d+;\d+)/#).map { String($0.output) })
        XCTAssertFalse(colours.isEmpty, "no colour in the answer line: \(answer.debugDescription)")
        XCTAssertTrue(screen.contains("you"))
        XCTAssertTrue(screen.contains("assistant"))
    }

    func testKnobKeyDuringGenerationShowsInStatusBarAndNextRounds() throws {
        // Fixed mode (the default, auto, picks its own exit layer).
        let chat = try TmuxHarness(arguments: ["--exit-layer", "22", "--depth", "4"])
        try chat.waitUntilReady()
        let before = try XCTUnwrap(exitLayer(in: chat.capture()))
        try chat.ask("Write a long story about a dragon who learns to bake bread.")
        // Let a round be verified at the old exit layer first (the draft lane marks it).
        try chat.waitFor("a verified round", timeout: 120) { self.isGenerating($0) && ($0.contains("✓") || $0.contains("✗")) }
        try chat.send("F6")
        let after = try chat.waitFor("the status bar to show the new exit layer", timeout: 2) { self.exitLayer(in: $0) == before + 1 }
        XCTAssertTrue(isGenerating(after), "the reply ended before the knob could be tested")
        // The next rounds draft at the new layer: wait for a few, then stop and save.
        usleep(3_000_000)
        try chat.send("Escape")
        try chat.waitFor("the reply to stop", timeout: 30) { !self.isGenerating($0) }
        usleep(300_000)  // past the Esc delay, or "/" would read as Alt+/
        let saved = chat.stateDirectory.appendingPathComponent("knob.json").path
        try chat.ask("/save \(saved)")
        try chat.waitFor("the save", timeout: 10) { $0.contains("saved to") }
        let session = try ChatSession.load(from: saved)
        let drafts = session.messages.flatMap(\.tokens).filter { $0.kind == .accepted || $0.kind == .rejected }
        XCTAssertTrue(drafts.contains { $0.exitLayer == before + 1 }, "no draft exited at layer \(before + 1)")
        XCTAssertTrue(drafts.contains { $0.exitLayer == before }, "no draft exited at layer \(before)")
        if let old = drafts.firstIndex(where: { $0.exitLayer == before }),
           let new = drafts.firstIndex(where: { $0.exitLayer == before + 1 }) {
            XCTAssertLessThan(old, new, "drafts at the new layer came before drafts at the old one")
        }
    }

    func testResizeMidStreamLeavesACorrectScreen() throws {
        let chat = try TmuxHarness()
        try chat.waitUntilReady()
        try chat.ask("List ten facts about the Moon.")
        try chat.waitFor("generation to start", timeout: 120) { self.isGenerating($0) }
        for (columns, rows) in [(50, 15), (40, 10), (120, 40), (80, 24)] {
            try chat.resize(columns: columns, rows: rows)
            usleep(300_000)
            let screen = try chat.capture()
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertLessThanOrEqual(lines.count, rows + 1)
            for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.width(of: line), columns, "\(columns)x\(rows): \(line)") }
            XCTAssertTrue(lines.first?.contains("E ") ?? false, "status bar missing at \(columns)x\(rows):\n\(screen)")
            XCTAssertTrue(screen.contains("layer 1") || screen.contains("E="), "legend missing at \(columns)x\(rows):\n\(screen)")
            XCTAssertTrue(lines.contains { $0.hasPrefix("› ") || $0.hasPrefix("… ") }, "input missing at \(columns)x\(rows):\n\(screen)")
        }
        try chat.send("Escape")
        try chat.waitFor("the reply to stop", timeout: 30) { !self.isGenerating($0) }
    }

    func testTwoCtrlCExitWithStatusZeroAndRestoreTheTerminal() throws {
        let chat = try TmuxHarness()
        try chat.waitUntilReady()
        XCTAssertEqual(try chat.format("#{alternate_on}"), "1")
        try chat.ask("Tell me about the history of bread.")
        try chat.waitFor("generation to start", timeout: 120) { self.isGenerating($0) }
        try chat.send("C-c")
        try chat.send("C-c")
        let screen = try chat.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=") && $0.contains("icanon") }
        XCTAssertTrue(screen.contains("EXIT=0"), screen)
        XCTAssertTrue(screen.contains("icanon echo") || screen.contains("echo icanon"), "terminal modes not restored:\n\(screen)")
        XCTAssertEqual(try chat.format("#{alternate_on}"), "0")
        XCTAssertEqual(try chat.format("#{cursor_flag}"), "1")
    }

    func testSigtermRestoresTheTerminal() throws {
        let chat = try TmuxHarness()
        try chat.waitUntilReady()
        let pid = try chat.run(["list-panes", "-t", chat.session, "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The pane runs sh, which runs skipchat: signal sh's child, by its id.
        let pgrep = try XCTUnwrap(TmuxHarness.which("pgrep"))
        let text = try TmuxHarness.spawn(pgrep, ["-P", pid], scratch: chat.stateDirectory)
        let skipchat = try XCTUnwrap(text.split(separator: "\n").first.flatMap { Int32($0) })
        XCTAssertEqual(kill(skipchat, SIGTERM), 0)
        let screen = try chat.waitFor("the exit status", timeout: 30) { $0.contains("EXIT=") && $0.contains("icanon") }
        XCTAssertTrue(screen.contains("EXIT=143"), screen)
        XCTAssertTrue(screen.contains("icanon echo") || screen.contains("echo icanon"), screen)
        XCTAssertEqual(try chat.format("#{alternate_on}"), "0")
    }
}
