import SkipChatEngine
@testable import SkipChatTUI
import XCTest

final class LayoutTests: XCTestCase {
    private func assertTiles(_ layout: Layout, rows: Int, columns: Int, file: StaticString = #filePath, line: UInt = #line) {
        var covered = Array(repeating: Array(repeating: 0, count: columns), count: rows)
        let rects = [layout.status, layout.transcript, layout.input] + [layout.panel, layout.draftLane, layout.legend].compactMap { $0 }
        for rect in rects {
            XCTAssertGreaterThan(rect.height, 0, file: file, line: line)
            for r in rect.row..<(rect.row + rect.height) {
                for c in rect.column..<(rect.column + rect.width) { covered[r][c] += 1 }
            }
        }
        XCTAssertFalse(covered.joined().contains { $0 > 1 }, "rectangles overlap", file: file, line: line)
    }

    func testLayoutAt80x24() throws {
        let layout = try XCTUnwrap(Layout.compute(rows: 24, columns: 80, inputLines: 1, panelLines: nil))
        XCTAssertEqual(layout.status, Rect(row: 0, column: 0, height: 1, width: 80))
        XCTAssertEqual(layout.input, Rect(row: 23, column: 0, height: 1, width: 80))
        XCTAssertEqual(layout.legend?.row, 22)
        XCTAssertEqual(layout.draftLane?.height, 2)
        XCTAssertEqual(layout.transcript.height, 19)
        assertTiles(layout, rows: 24, columns: 80)
    }

    func testLayoutAt40x10() throws {
        let layout = try XCTUnwrap(Layout.compute(rows: 10, columns: 40, inputLines: 5, panelLines: 12))
        XCTAssertEqual(layout.input.height, 2)
        XCTAssertNotNil(layout.legend)
        XCTAssertEqual(layout.draftLane?.height, 1)
        XCTAssertGreaterThanOrEqual(layout.transcript.height, 2)
        assertTiles(layout, rows: 10, columns: 40)
    }

    func testSidePanelOnWideTerminals() throws {
        let layout = try XCTUnwrap(Layout.compute(rows: 40, columns: 120, inputLines: 1, panelLines: 31))
        XCTAssertEqual(layout.panel?.width, 40)
        XCTAssertEqual(layout.transcript.width, 79)
        assertTiles(layout, rows: 40, columns: 120)
    }

    func testTooSmall() {
        XCTAssertNil(Layout.compute(rows: 5, columns: 40, inputLines: 1, panelLines: nil))
        let canvas = TextCanvas(rows: 4, columns: 20)
        let state = Fake.state()
        XCTAssertNil(Screen().draw(state, on: canvas, now: 0).cursor)
        XCTAssertEqual(canvas.line(0).trimmingCharacters(in: .whitespaces), "terminal too small")
    }

    /// A whole frame at a size: every row drawn, nothing wider than the screen.
    private func render(rows: Int, columns: Int, configure: (inout ChatState) -> Void = { _ in }) -> (TextCanvas, ChatState) {
        var state = Fake.state()
        _ = state.submit("What is the capital of France? 日本語 👍🏽 café", now: 0)
        for event in Fake.round { _ = state.apply(.event(event)) }
        configure(&state)
        let canvas = TextCanvas(rows: rows, columns: columns)
        state.viewport(Screen().draw(state, on: canvas, now: 0).viewport)
        for r in 0..<rows { XCTAssertLessThanOrEqual(DisplayWidth.width(of: canvas.line(r)), columns) }
        return (canvas, state)
    }

    func testFrameAt80x24() {
        let (canvas, _) = render(rows: 24, columns: 80)
        XCTAssertTrue(canvas.line(0).contains("E 7/30"), canvas.line(0))
        XCTAssertTrue(canvas.line(0).contains("K 4"))
        XCTAssertTrue(canvas.line(0).contains("fixed"))
        XCTAssertTrue(canvas.text.contains("What is the capital of France?"))
        XCTAssertTrue(canvas.text.contains("The capital off of"), canvas.text)  // ghost text on
        XCTAssertTrue(canvas.line(21).contains("✓The"), canvas.line(21))  // draft lane
        XCTAssertTrue(canvas.line(21).contains("✗·off"))
        XCTAssertTrue(canvas.line(22).hasPrefix("layer 1 "), canvas.line(22))
        XCTAssertTrue(canvas.line(23).hasPrefix("… "), canvas.line(23))
    }

    func testTokensAreColouredByExitLayer() {
        let (canvas, _) = render(rows: 24, columns: 80)
        guard let row = (0..<24).first(where: { canvas.line($0).hasPrefix("The capital") }) else { return XCTFail(canvas.text) }
        XCTAssertEqual(canvas.role(row: row, column: 0), .token(.accepted, layer: 8))
        let verifierColumn = Array(canvas.line(row)).lastIndex(of: "f") ?? 0
        XCTAssertEqual(canvas.role(row: row, column: verifierColumn), .token(.verifier, layer: 30))
    }

    func testAutoModeMarksTheTunersExitLayerInStatusBarAndLegend() {
        var state = Fake.state()
        _ = state.applyKnob(.set(.mode, .word("auto")), now: 0)
        _ = state.submit("Hi", now: 0)
        let round = RoundSummary(round: 1, drafted: 2, accepted: 1, exitLayer: 15, depth: 2, mode: .auto, seconds: 0.01)
        _ = state.apply(.event(.verified(round: round, accepted: [Fake.token("a", kind: .accepted)], rejected: [],
                                         verifierToken: Fake.token("b", layer: 30, kind: .verifier), retractedBytes: 0)))
        let canvas = TextCanvas(rows: 24, columns: 80)
        _ = Screen().draw(state, on: canvas, now: 100)
        XCTAssertTrue(canvas.line(0).contains("E 15/30"), canvas.line(0))
        XCTAssertTrue(canvas.line(0).contains("K 2"), canvas.line(0))
        XCTAssertTrue(canvas.line(22).contains(" 30  E=15"), canvas.line(22))
    }

    func testEmptyDraftLaneIsLabelledOnce() {
        let state = Fake.state()
        let canvas = TextCanvas(rows: 40, columns: 100)
        _ = Screen().draw(state, on: canvas, now: 0)
        let labels = (0..<40).filter { canvas.line($0).trimmingCharacters(in: .whitespaces) == "drafts" }
        XCTAssertEqual(labels.count, 1, canvas.text)
    }

    func testFrameAt40x10WithStatsPanel() {
        let (canvas, _) = render(rows: 10, columns: 40) { $0.showStats = true }
        XCTAssertTrue(canvas.line(0).contains("E 7/30"), canvas.line(0))
        XCTAssertTrue(canvas.text.contains("stats"), canvas.text)
    }

    func testHelpOverlayListsKnobKeys() {
        let (canvas, _) = render(rows: 40, columns: 100) { $0.showHelp = true }
        XCTAssertTrue(canvas.text.contains("F5 Alt+← Alt+e"), canvas.text)
        XCTAssertTrue(canvas.text.contains("exit layer − 1"))
    }

    func testScrolledBackTranscriptShowsMarker() {
        let (canvas, state) = render(rows: 10, columns: 40) { state in
            for i in 0..<30 { state.notice("line \(i)") }
            state.scrollBack = 5
        }
        XCTAssertEqual(state.scrollBack, 5)
        XCTAssertTrue(canvas.text.contains("↓ 5 more"), canvas.text)
    }

    func testInputBoxKeepsCursorVisible() {
        var state = Fake.state()
        state.input.setText(String(repeating: "word ", count: 40))
        let canvas = TextCanvas(rows: 10, columns: 40)
        let cursor = Screen().draw(state, on: canvas, now: 0).cursor
        XCTAssertEqual(cursor?.row, 9)
    }
}
