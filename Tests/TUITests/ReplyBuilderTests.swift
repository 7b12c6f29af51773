import SkipChatEngine
@testable import SkipChatTUI
import XCTest

final class ReplyBuilderTests: XCTestCase {
    func testDraftsAreProvisionalUntilVerified() {
        var reply = ReplyBuilder()
        for event in Fake.round.prefix(3) { reply.apply(event) }
        XCTAssertEqual(reply.committedText, "")
        XCTAssertEqual(reply.provisional.map(\.text), ["The", " capital"])
    }

    func testVerificationRetractsRejectedBytesAndAppendsVerifierToken() {
        var reply = ReplyBuilder()
        for event in Fake.round { reply.apply(event) }
        XCTAssertEqual(reply.committedText, "The capital of")
        XCTAssertEqual(reply.tokens.map(\.kind), [.accepted, .accepted, .rejected, .verifier])
        XCTAssertEqual(reply.tokens[2].text, " off")
        XCTAssertEqual(reply.tokens[3].exitLayer, 30)
        XCTAssertTrue(reply.provisional.isEmpty)
    }

    func testRetractionFollowsBytesWhenATokenEndsInsideACharacter() {
        // "é" is split over two tokens: the first adds no text, the second adds "é".
        var reply = ReplyBuilder()
        reply.apply(.draft(Fake.token("a", id: 1)))
        reply.apply(.draft(TokenEvent(id: 2, text: "", bytes: [0xC3], exitLayer: 8, kind: .draft, round: 1, position: 1)))
        reply.apply(.draft(TokenEvent(id: 3, text: "é", bytes: [0xA9], exitLayer: 8, kind: .draft, round: 1, position: 2)))
        reply.apply(.verified(round: Fake.summary(round: 1, drafted: 3, accepted: 2),
                              accepted: [Fake.token("a"), Fake.token("")], rejected: [Fake.token("é")],
                              verifierToken: Fake.token("è", id: 9, layer: 30, kind: .verifier), retractedBytes: 2))
        XCTAssertEqual(reply.committedText, "aè")
        XCTAssertEqual(reply.tokens.filter { $0.kind == .rejected }.map(\.text), ["é"])
    }

    func testAutoregressiveCommitsAppendDirectly() {
        var reply = ReplyBuilder()
        reply.apply(.committed(Fake.token("Hi", kind: .verifier)))
        reply.apply(.committed(Fake.token("!", kind: .verifier)))
        XCTAssertEqual(reply.committedText, "Hi!")
        XCTAssertEqual(reply.tokens.map(\.kind), [.verifier, .verifier])
    }

    func testDraftLaneMarksAcceptedAndRejected() {
        var lane = DraftLane()
        for event in Fake.round.prefix(4) { lane.apply(event) }
        XCTAssertEqual(lane.current?.chips.map(\.kind), [.draft, .draft, .draft])
        lane.apply(Fake.round[4])
        XCTAssertEqual(lane.current?.chips.map(\.kind), [.accepted, .accepted, .rejected, .verifier])
        XCTAssertEqual(lane.current?.chips.map(\.text), ["The", "·capital", "·off", "·of"])
        lane.apply(.draft(Fake.token(" France", round: 2)))
        XCTAssertEqual(lane.previous?.number, 1)
        XCTAssertEqual(lane.current?.number, 2)
    }
}
