import Foundation
import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// The chat's reducer (`ChatState`) does no input or output: files are effects whose outcome
/// comes back as an input, errors are a role of their own, and drawing reads the state only.
final class ReducerEffectsTests: XCTestCase {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-reducer-\(UUID())")

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func testFileCommandsAreEffects() {
        var state = Fake.state()
        XCTAssertEqual(state.submit("/save", now: 0), [.save(path: state.lastSessionPath)])
        XCTAssertEqual(state.submit("/save ~/x.json", now: 0), [.save(path: "~/x.json")])
        XCTAssertEqual(state.submit("/load a b.json", now: 0), [.load(path: "a b.json")])
        XCTAssertEqual(state.submit("/export --force p.html", now: 0), [.export(path: "p.html", force: true)])
        XCTAssertEqual(state.session.messages, [], "nothing happens until the outcome comes back")
    }

    func testOutcomesComeBackAsNotices() {
        var state = Fake.state()
        XCTAssertEqual(state.apply(FileOutcome.saved(path: "/s.json")), [])
        XCTAssertEqual(state.apply(FileOutcome.exported(path: "/e.html")), [])
        XCTAssertEqual(state.apply(FileOutcome.failed(message: "cannot save /s.json: disk full")), [])
        XCTAssertEqual(state.session.messages, [SessionMessage(role: .notice, text: "saved to /s.json"),
                                                SessionMessage(role: .notice, text: "exported to /e.html"),
                                                SessionMessage(role: .error, text: "cannot save /s.json: disk full")])
        var loaded = Fake.settings
        loaded.depth = 9
        let session = ChatSession(model: "m", systemPrompt: "Be brief.", settings: loaded, messages: [SessionMessage(role: .user, text: "hi")])
        XCTAssertEqual(state.apply(FileOutcome.loaded(session, path: "/l.json")), [.pushKnobs(state.settings)])
        XCTAssertEqual(state.settings.depth, 9)
        XCTAssertEqual(state.session.systemPrompt, "Be brief.")
    }

    /// A load that finishes while a reply streams would drop the reply: it is refused.
    func testLoadWhileAnsweringIsRefused() {
        var state = Fake.state()
        _ = state.submit("hi", now: 0)
        XCTAssertEqual(state.submit("/load x.json", now: 0), [])
        let session = ChatSession(model: "m", systemPrompt: nil, messages: [])
        XCTAssertEqual(state.apply(FileOutcome.loaded(session, path: "x.json")), [])
        XCTAssertEqual(state.session.turns.map(\.text), ["hi"])
    }

    /// Errors are saved with their own role and without a text mark.
    func testErrorNoticesSaveAsTheirOwnRole() throws {
        var state = Fake.state()
        state.notice("something failed", error: true)
        let path = directory.appendingPathComponent("s.json").path
        try state.sessionForSaving.save(to: path)
        let json = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(json.contains(#""role" : "error""#), json)
        XCTAssertFalse(json.contains("! something"), json)
        XCTAssertEqual(try ChatSession.load(from: path).messages, [SessionMessage(role: .error, text: "something failed")])
    }

    /// Sessions saved before errors had a role marked them with "! ": they load as errors.
    func testOldSessionsWithMarkedNoticesStillLoad() throws {
        let old = #"""
        {"messages":[{"role":"user","text":"hi","tokens":[]},{"role":"notice","text":"! cannot load x: gone","tokens":[]},
         {"role":"notice","text":"saved to y","tokens":[]}],"model":"m","version":1}
        """#
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("old.json").path
        try Data(old.utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try ChatSession.load(from: path).messages, [SessionMessage(role: .user, text: "hi"),
                                                                   SessionMessage(role: .error, text: "cannot load x: gone"),
                                                                   SessionMessage(role: .notice, text: "saved to y")])
    }

    /// Drawing reads the state; what the layout found comes back through `viewport`.
    func testDrawingLeavesTheStateAlone() {
        var state = Fake.state()
        for i in 0..<40 { state.notice("line \(i)") }
        state.scrollBack = Int.max
        let canvas = TextCanvas(rows: 12, columns: 40)
        let frame = Screen().draw(state, on: canvas, now: 0)
        XCTAssertEqual(state.scrollBack, Int.max, "draw takes the state by value")
        XCTAssertLessThan(frame.viewport.scrollBack, 40)
        XCTAssertGreaterThan(frame.viewport.scrollBack, 0)
        let revision = state.revision
        state.viewport(frame.viewport)
        XCTAssertEqual(state.scrollBack, frame.viewport.scrollBack)
        XCTAssertEqual(state.pageSize, frame.viewport.pageSize)
        XCTAssertEqual(state.revision, revision, "taking the viewport asks for no repaint")
    }
}
