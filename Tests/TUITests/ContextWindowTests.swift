import Foundation
import SkipChatEngine
@testable import SkipChatTUI
import XCTest

/// The context policy: oldest exchanges out, system prompt kept, and what is generated after a
/// drop equals a fresh session on the kept history.
final class ContextWindowTests: XCTestCase {
    private func turns(_ n: Int) -> [SessionMessage] {
        (0..<n).map { SessionMessage(role: $0 % 2 == 0 ? .user : .assistant, text: String(repeating: "x", count: 10)) }
    }

    func testFirstKeptTurnIsTheEarliestUserTurnThatFits() {
        let conversation = turns(9)  // u a u a u a u a u, 10 "tokens" each, system 5
        var calls = 0
        let length = { (kept: ArraySlice<SessionMessage>) -> Int in
            calls += 1
            return 5 + kept.count * 10
        }
        // limit 60, reserve 10: at most 4 messages (45 + 10 ≤ 60), starting at a user turn → index 6 (3 messages).
        XCTAssertEqual(ContextWindow.firstKeptTurn(conversation, limit: 60, reserve: 10, hint: 0, promptLength: length), 6)
        XCTAssertEqual(ContextWindow.firstKeptTurn(conversation, limit: 1000, reserve: 10, hint: 0, promptLength: length), 0)
        // Nothing fits: the last user turn alone.
        XCTAssertEqual(ContextWindow.firstKeptTurn(conversation, limit: 10, reserve: 10, hint: 0, promptLength: length), 8)
        // With the previous answer as hint, two prompt lengths suffice.
        calls = 0
        XCTAssertEqual(ContextWindow.firstKeptTurn(conversation, limit: 60, reserve: 10, hint: 6, promptLength: length), 6)
        XCTAssertEqual(calls, 2)
        // A hint that is too far (after /clear) is not trusted.
        XCTAssertEqual(ContextWindow.firstKeptTurn(Array(conversation.prefix(3)), limit: 60, reserve: 10, hint: 6, promptLength: length), 0)
        XCTAssertEqual(ContextWindow.replyReserve(maxTokens: 1024, limit: 96), 24)
        XCTAssertEqual(ContextWindow.replyReserve(maxTokens: 8, limit: 96), 8)
        XCTAssertThrowsError(try ContextWindow.validated(8, modelContext: 2048))
        XCTAssertThrowsError(try ContextWindow.validated(4096, modelContext: 2048))
        XCTAssertEqual(try ContextWindow.validated(nil, modelContext: 2048), 2048)
    }

    /// Twelve turns through a 96-token window on the committed LayerSkip model: turns are left
    /// out, the system prompt stays, and every reply equals a fresh session's on the kept
    /// history (the KV-cache prefix reuse after a drop is exact).
    func testRepliesAfterDropsEqualAFreshSessionOnTheKeptHistory() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let model = try LanguageModel.load(path: root.appendingPathComponent("models/tiny-layerskip").path, threads: 2)
        var settings = model.defaultSettings()
        settings.mode = .fixed
        let knobs = DecoderKnobs(settings)
        let system = "Answer briefly."
        let limit = 96
        let generator = EngineGenerator(model: model, contextLength: limit)
        var conversation: [SessionMessage] = []
        var drops: [Int] = []
        func reply(_ g: EngineGenerator, _ turns: [SessionMessage]) throws -> (tokens: [Int32], dropped: Int) {
            var tokens: [Int32] = [], dropped = -1
            try g.generate(systemPrompt: system, turns: turns, maxTokens: 12, knobs: knobs, onTrim: { dropped = $0 }) { event in
                if case let .finished(_, committed, _) = event { tokens = committed }
            }
            return (tokens, dropped)
        }
        for i in 0..<12 {
            conversation.append(SessionMessage(role: .user, text: "Question \(i): tell me a fact about the number \(i * 7)."))
            let (tokens, dropped) = try reply(generator, conversation)
            drops.append(dropped)
            let kept = Array(conversation[dropped...])
            XCTAssertEqual(kept.first?.role, .user)
            XCTAssertLessThanOrEqual(generator.prompt(systemPrompt: system, turns: kept).count + 12, limit)
            let fresh = try reply(EngineGenerator(model: model, contextLength: limit), kept)
            XCTAssertEqual(fresh.dropped, 0)
            XCTAssertEqual(tokens, fresh.tokens, "turn \(i), \(dropped) messages left out")
            let text = String(decoding: try model.tokenizer.decode(tokens.filter { !model.tokenizer.endOfTurnIDs.contains($0) }), as: UTF8.self)
            conversation.append(SessionMessage(role: .assistant, text: text))
        }
        XCTAssertEqual(drops.first, 0)
        XCTAssertGreaterThan(drops.last ?? 0, 4, "\(drops)")
        XCTAssertEqual(drops, drops.sorted(), "the window only moves forward")
    }

    func testContextFromConfigAndFlags() throws {
        let config = try ChatConfig.parse("context = 512\n", source: "config.toml")
        XCTAssertEqual(config.context, 512)
        var flags = ChatOptions()
        XCTAssertEqual(flags.merged(over: config).context, 512)
        flags.context = 256
        XCTAssertEqual(flags.merged(over: config).context, 256)
    }

    func testTrimNoticeCountsMessages() {
        var state = Fake.state()
        state.session.systemPrompt = "Be brief."
        _ = state.apply(.contextTrimmed(messages: 0))
        XCTAssertFalse(state.session.messages.contains { $0.role == .notice })
        _ = state.apply(.contextTrimmed(messages: 4))
        _ = state.apply(.contextTrimmed(messages: 4))
        let notices = state.session.messages.filter { $0.role == .notice }.map(\.text)
        XCTAssertEqual(notices.count, 1)
        XCTAssertTrue(notices[0].contains("4 oldest messages") && notices[0].contains("system prompt stays"), notices[0])
        XCTAssertEqual(state.trimmedMessages, 4)
    }
}
