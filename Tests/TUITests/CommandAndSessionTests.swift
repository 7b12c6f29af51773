import Foundation
import SkipChatEngine
@testable import SkipChatTUI
import XCTest

final class SlashCommandTests: XCTestCase {
    private func parse(_ line: String) -> SlashCommand? { try? SlashCommand.parse(line)?.get() }

    func testCommands() {
        XCTAssertNil(SlashCommand.parse("hello /set"))
        XCTAssertEqual(parse("/set exit 8"), .set(.set(.exitLayer, .integer(8))))
        XCTAssertEqual(parse("  /set depth 4 "), .set(.set(.depth, .integer(4))))
        XCTAssertEqual(parse("/set temp 0.7"), .set(.set(.temperature, .number(0.7))))
        XCTAssertEqual(parse("/set mode dynamic"), .set(.set(.mode, .word("dynamic"))))
        XCTAssertEqual(parse("/set mode auto"), .set(.set(.mode, .word("auto"))))
        XCTAssertEqual(parse("/set mode ar"), .set(.set(.mode, .word("autoregressive"))))
        XCTAssertEqual(parse("/set threshold 0.8"), .set(.set(.threshold, .number(0.8))))
        XCTAssertEqual(parse("/set top-p 0.9"), .set(.set(.topP, .number(0.9))))
        XCTAssertEqual(parse("/set seed 18446744073709551615"), .set(.set(.seed, .seed(.max))))
        XCTAssertEqual(parse("/help"), .help)
        XCTAssertEqual(parse("/clear"), .clear)
        XCTAssertEqual(parse("/system Be brief."), .system("Be brief."))
        XCTAssertEqual(parse("/system"), .system(nil))
        XCTAssertEqual(parse("/regen"), .regenerate)
        XCTAssertEqual(parse("/save"), .save(nil))
        XCTAssertEqual(parse("/save /tmp/a b.json"), .save("/tmp/a b.json"))
        XCTAssertEqual(parse("/load x.json"), .load("x.json"))
        XCTAssertEqual(parse("/theme light"), .theme("light"))
        XCTAssertEqual(parse("/stats"), .stats)
        XCTAssertEqual(parse("/quit"), .quit)
    }

    func testErrors() {
        for bad in ["/", "/frobnicate", "/set exit x", "/set depth", "/set mode fast", "/set temp -1", "/set temp 5", "/set threshold 0", "/load"] {
            guard case .failure(let error)? = SlashCommand.parse(bad) else { return XCTFail(bad) }
            XCTAssertFalse(error.message.isEmpty)
        }
    }
}

final class SessionTests: XCTestCase {
    func testSaveLoadRoundTripIsAtomic() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-session-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/chat.json").path
        var reply = ReplyBuilder()
        for event in Fake.round { reply.apply(event) }
        let session = ChatSession(model: "m", systemPrompt: "Be brief.", settings: Fake.settings, messages: [
            SessionMessage(role: .user, text: "Capital of France?"),
            SessionMessage(role: .assistant, text: reply.committedText, tokens: reply.tokens),
        ])
        try session.save(to: path)
        XCTAssertEqual(try ChatSession.load(from: path), session)
        let json = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(json.contains("\"exitLayer\" : 30"))
        XCTAssertTrue(json.contains("\"kind\" : \"rejected\""))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("nested").path)
        XCTAssertEqual(leftovers, ["chat.json"])
    }

    func testSlashSaveAndLoad() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state = Fake.state()
        _ = state.submit("hi", now: 0)
        for event in Fake.round { _ = state.apply(.event(event)) }
        _ = state.apply(.event(.finished(reason: .endOfTurn, tokens: [], stats: DecodingStats(layerCount: 30))))
        _ = state.submit("/set exit 11", now: 0)
        XCTAssertEqual(state.submit("/save \(path)", now: 0), [.save(path: path)])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the reducer writes nothing itself")
        XCTAssertEqual(state.submitPerformingFiles("/save \(path)"), [])
        XCTAssertEqual(state.session.messages.last, SessionMessage(role: .notice, text: "saved to \(path)"))
        var other = Fake.state()
        XCTAssertEqual(other.submit("/load \(path)", now: 0), [.load(path: path)])
        XCTAssertEqual(other.submitPerformingFiles("/load \(path)"), [.pushKnobs(other.settings)])
        XCTAssertEqual(other.settings.exitLayer, 11)
        XCTAssertEqual(other.session.turns.map(\.text), ["hi", "The capital of"])
        _ = other.submitPerformingFiles("/load /nonexistent/x.json")
        XCTAssertEqual(other.session.messages.last?.role, .error)
        XCTAssertTrue(other.session.messages.last?.text.hasPrefix("cannot load") ?? false)
    }

    func testLastSessionPath() {
        XCTAssertEqual(ChatSession.lastSessionPath(environment: ["XDG_STATE_HOME": "/s", "XDG_CACHE_HOME": "/c"]), "/s/skipchat/last-session.json")
        XCTAssertEqual(ChatSession.lastSessionPath(environment: ["XDG_CACHE_HOME": "/c"]), "/c/skipchat/last-session.json")
        XCTAssertEqual(ChatSession.lastSessionPath(environment: ["HOME": "/h"]), "/h/.local/state/skipchat/last-session.json")
    }

    func testConfigFile() throws {
        let options = try ChatConfig.parse("""
            exit_layer = 9
            depth = 3
            mode = "dynamic"
            temperature = 0.5
            theme = "light"
            system = "Be brief."
            """, source: "config.toml")
        XCTAssertEqual(options.exitLayer, 9)
        XCTAssertEqual(options.mode, .dynamic)
        XCTAssertEqual(options.temperature, 0.5)
        var flags = ChatOptions()
        flags.exitLayer = 4
        let merged = flags.merged(over: options)
        XCTAssertEqual(merged.exitLayer, 4)
        XCTAssertEqual(merged.depth, 3)
        XCTAssertEqual(merged.theme, "light")
        XCTAssertThrowsError(try ChatConfig.parse("mode = \"warp\"", source: "c.toml"))
        XCTAssertThrowsError(try ChatConfig.parse("exit_layers = 2", source: "c.toml"))
    }
}

final class InputBoxTests: XCTestCase {
    private func type(_ text: String, into box: inout InputBox) {
        for c in text { _ = box.handle(.character(c)) }
    }

    func testSubmitAndHistory() {
        var box = InputBox()
        type("first", into: &box)
        XCTAssertEqual(box.handle(.enter), .submitted("first"))
        type("second", into: &box)
        _ = box.handle(.enter)
        type("draft", into: &box)
        _ = box.handle(.up)
        XCTAssertEqual(box.string, "second")
        _ = box.handle(.up)
        XCTAssertEqual(box.string, "first")
        _ = box.handle(.down)
        _ = box.handle(.down)
        XCTAssertEqual(box.string, "draft")
    }

    func testBracketedPasteKeepsNewlines() {
        var box = InputBox()
        _ = box.handle(.pasteBegin)
        type("line one", into: &box)
        XCTAssertEqual(box.handle(.enter), .edited)
        type("line two", into: &box)
        _ = box.handle(.pasteEnd)
        XCTAssertEqual(box.string, "line one\nline two")
        XCTAssertEqual(box.handle(.enter), .submitted("line one\nline two"))
    }

    func testEditing() {
        var box = InputBox()
        type("hello world", into: &box)
        _ = box.handle(.control("w"))
        XCTAssertEqual(box.string, "hello ")
        _ = box.handle(.altEnter)
        type("x", into: &box)
        _ = box.handle(.up)
        XCTAssertEqual(box.cursor, 1)
        _ = box.handle(.control("a"))
        _ = box.handle(.control("k"))
        XCTAssertEqual(box.string, "\nx")
        XCTAssertEqual(box.handle(.enter), .submitted("\nx"))
        XCTAssertEqual(box.handle(.enter), .ignored)
    }

    func testCtrlLettersMapFromTerminalBytes() {
        XCTAssertEqual(KeyDecoder.key(forCharacter: 3), .control("c"))
        XCTAssertEqual(KeyDecoder.key(forCharacter: 13), .enter)
        XCTAssertEqual(KeyDecoder.key(forCharacter: 10), .control("j"))
        XCTAssertEqual(KeyDecoder.key(forCharacter: 127), .backspace)
        XCTAssertEqual(KeyDecoder.key(forCharacter: 0x65), .character("e"))
    }
}
