import SkipChatEngine
@testable import SkipChatTUI
import XCTest

final class ChatStateTests: XCTestCase {
    func testKnobKeysChangeSettingsAndPushThemToTheDecoder() {
        var state = Fake.state()
        XCTAssertEqual(state.handle(.function(6), now: 1), [.pushKnobs(state.settings)])
        XCTAssertEqual(state.settings.exitLayer, 8)
        XCTAssertEqual(state.changedKnob, .exitLayer)
        _ = state.handle(.altUp, now: 2)
        XCTAssertEqual(state.settings.depth, 5)
        _ = state.handle(.function(9), now: 3)
        XCTAssertEqual(state.settings.mode, .dynamic)
        _ = state.handle(.alt("T"), now: 4)
        XCTAssertEqual(state.settings.sampling.temperature, 0.1, accuracy: 1e-6)
    }

    func testKnobsStayInRange() {
        var state = Fake.state()
        for _ in 0..<40 { _ = state.handle(.function(6), now: 0) }
        XCTAssertEqual(state.settings.exitLayer, Fake.layerCount - 1)
        for _ in 0..<40 { _ = state.handle(.function(7), now: 0) }
        XCTAssertEqual(state.settings.depth, 1)
        for _ in 0..<5 { _ = state.handle(.function(10), now: 0) }
        XCTAssertEqual(state.settings.sampling.temperature, 0)
    }

    func testTypingNeverTriggersKnobs() {
        var state = Fake.state()
        for c in "edmtTH?" { _ = state.handle(.character(c), now: 0) }
        XCTAssertEqual(state.settings, Fake.state().settings)
        XCTAssertEqual(state.input.string, "edmtTH?")
        XCTAssertFalse(state.showHelp)
    }

    func testUnboundAltKeyIsEscapeThenCharacter() {
        var state = Fake.state()
        _ = state.handle(.alt("/"), now: 0)
        XCTAssertEqual(state.input.string, "/")
    }

    func testQuestionMarkOnEmptyInputOpensHelp() {
        var state = Fake.state()
        _ = state.handle(.character("?"), now: 0)
        XCTAssertTrue(state.showHelp)
        _ = state.handle(.escape, now: 0)
        XCTAssertFalse(state.showHelp)
    }

    func testPromptStartsGenerationAndEventsBuildTheReply() {
        var state = Fake.state()
        for c in "Capital of France?" { _ = state.handle(.character(c), now: 0) }
        XCTAssertEqual(state.handle(.enter, now: 0), [.generate])
        XCTAssertTrue(state.generating)
        for event in Fake.round { _ = state.apply(.event(event)) }
        XCTAssertEqual(state.reply?.committedText, "The capital of")
        let effects = state.apply(.event(.finished(reason: .endOfTurn, tokens: [1, 2, 4], stats: DecodingStats(layerCount: 30))))
        XCTAssertEqual(effects, [.autosave])
        XCTAssertFalse(state.generating)
        XCTAssertEqual(state.session.messages.map(\.role), [.user, .assistant])
        XCTAssertEqual(state.session.messages[1].text, "The capital of")
    }

    func testFirstCtrlCStopsSecondQuits() {
        var state = Fake.state()
        for c in "hi" { _ = state.handle(.character(c), now: 0) }
        _ = state.handle(.enter, now: 0)
        XCTAssertEqual(state.handle(.control("c"), now: 0), [.stop])
        XCTAssertEqual(state.handle(.control("c"), now: 0), [.quit])
    }

    func testCtrlCIsDisarmedByOtherKeys() {
        var state = Fake.state()
        XCTAssertEqual(state.handle(.control("c"), now: 0), [])
        _ = state.handle(.character("x"), now: 0)
        XCTAssertEqual(state.handle(.control("c"), now: 0), [])
        XCTAssertEqual(state.handle(.control("c"), now: 0), [.quit])
    }

    /// Line mode submits whole lines without keys: a line sent disarms Ctrl-C too, so one Ctrl-C
    /// in the next reply stops it rather than quitting; the stop is reported once.
    func testASubmittedLineDisarmsCtrlCAndAStopIsReportedOnce() {
        var state = Fake.state()
        XCTAssertEqual(state.handle(.control("c"), now: 0), [])
        _ = state.submit("hi", now: 0)
        XCTAssertEqual(state.handle(.control("c"), now: 0), [.stop])
        _ = state.apply(.event(.finished(reason: .stopped, tokens: [], stats: DecodingStats(layerCount: 30))))
        XCTAssertEqual(state.session.messages.filter { $0.role == .notice && $0.text.contains("stopped") }.map(\.text),
                       ["stopped; Ctrl-C again quits"])
    }

    func testSlashSetChangesKnob() {
        var state = Fake.state()
        XCTAssertEqual(state.submit("/set exit 12", now: 0), [.pushKnobs(state.settings.with { $0.exitLayer = 12 })])
        XCTAssertEqual(state.settings.exitLayer, 12)
        _ = state.submit("/set bogus 1", now: 0)
        XCTAssertEqual(state.session.messages.last?.role, .error)
    }

    func testLensSelectsLastCommittedTokenAndMoves() {
        var state = Fake.state()
        _ = state.submit("hi", now: 0)
        for event in Fake.round { _ = state.apply(.event(event)) }
        _ = state.apply(.event(.finished(reason: .endOfTurn, tokens: [], stats: DecodingStats(layerCount: 30))))
        let effects = state.handle(.function(4), now: 0)
        guard case .lens(let request)? = effects.first else { return XCTFail("no lens request") }
        XCTAssertEqual(request.replyTokens, [1, 2, 4])
        XCTAssertEqual(request.turns.map(\.role), [.user])
        _ = state.handle(.left, now: 0)
        // The rejected ghost (index 2) is skipped.
        XCTAssertEqual(state.lensSelection, LensSelection(message: 1, token: 1))
        _ = state.handle(.escape, now: 0)
        XCTAssertNil(state.lensSelection)
    }
}

extension DecoderSettings {
    func with(_ change: (inout DecoderSettings) -> Void) -> DecoderSettings {
        var copy = self
        change(&copy)
        return copy
    }
}
