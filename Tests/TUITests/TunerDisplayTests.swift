import SkipChatEngine
import XCTest
@testable import SkipChatTUI

/// Auto mode's tuner state on screen: the status bar says what it decided and why, the stats
/// panel shows the expected-speedup table, and exploration rounds are marked in the draft lane.
final class TunerDisplayTests: XCTestCase {
    static let tuner = TunerState(decision: .plain, exitLayer: 10, depth: 1, expectedSpeedup: 0.93,
                                  rows: [.init(exitLayer: 10, acceptance: 0.3, speedups: [0.93, 0.71])],
                                  batchGrowth: [1, 1.3], stepSeconds: 0.012, measured: true)

    func autoState() -> ChatState {
        var state = Fake.state()
        _ = state.applyKnob(.set(.mode, .word("auto")), now: 0)
        _ = state.submit("Hi", now: 0)
        var stats = DecodingStats(layerCount: Fake.layerCount)
        stats.tuner = Self.tuner
        _ = state.apply(.event(.stats(stats)))
        return state
    }

    func testStatusBarSaysWhyAutoDecodesPlainly() {
        let line = StatusBar.line(autoState(), width: 200, now: 100).map(\.text).joined()
        XCTAssertTrue(line.contains("auto · plain (E10 K1 would run 0.93×)"), line)
    }

    /// Narrower than the line with the explanation, the mode field shrinks to "auto" and speed,
    /// context and the help hint stay.
    func testStatusBarKeepsSpeedAndContextWhenTheExplanationDoesNotFit() throws {
        let state = autoState()
        let width = try XCTUnwrap(stride(from: 200, to: 40, by: -1).first {
            !StatusBar.line(state, width: $0, now: 100).map(\.text).joined().contains("would run")
        })
        let line = StatusBar.line(state, width: width, now: 100).map(\.text).joined()
        XCTAssertTrue(line.contains("auto │") && line.contains("tok/s") && line.contains("ctx ") && line.contains("F1 help"), line)
    }

    func testStatsPanelShowsTheExpectedSpeedupTable() {
        let text = StatsPanel.lines(autoState(), width: 80).map { $0.map(\.text).joined() }
        XCTAssertTrue(text.contains { $0.contains("expected speedup × plain") }, "\(text)")
        XCTAssertTrue(text.contains { $0.contains(" 10  0.30  0.93* 0.71") }, "\(text)")
    }

    /// The side panel is 40 columns: the table keeps the depths that fit, K = 1 first.
    func testStatsPanelTableFitsTheSidePanel() {
        var state = autoState()
        var stats = DecodingStats(layerCount: Fake.layerCount)
        stats.tuner = TunerState(decision: .plain, exitLayer: 10, depth: 1, expectedSpeedup: 0.93,
                                 rows: [.init(exitLayer: 10, acceptance: 0.3, speedups: [0.93, 0.71, 0.6, 0.5, 0.4, 0.35, 0.3, 0.25])],
                                 batchGrowth: Array(repeating: 1.3, count: 9), stepSeconds: 0.26335, measured: true)
        _ = state.apply(.event(.stats(stats)))
        let text = StatsPanel.lines(state, width: 40).map { $0.map(\.text).joined() }
        for line in text { XCTAssertLessThanOrEqual(DisplayWidth.width(of: line), 40, line) }
        XCTAssertTrue(text.contains { $0.contains(" 10  0.30  0.93* 0.71") }, "\(text)")
        XCTAssertTrue(text.contains { $0.contains("step 263.35 ms") }, "\(text)")
    }

    func testExplorationRoundsAreMarkedInTheDraftLane() {
        var lane = DraftLane()
        lane.apply(.draft(Fake.token("x")))
        let round = RoundSummary(round: 1, drafted: 1, accepted: 0, exitLayer: 10, depth: 1, mode: .auto, seconds: 0.01,
                                 exploring: true)
        lane.apply(.verified(round: round, accepted: [], rejected: [Fake.token("x", kind: .rejected)],
                             verifierToken: Fake.token("y", layer: 30, kind: .verifier), retractedBytes: 1))
        let text = DraftLaneView.line(lane.current, mode: .auto).map(\.text).joined()
        XCTAssertTrue(text.contains("explore"), text)
    }
}
