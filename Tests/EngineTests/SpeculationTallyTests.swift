import XCTest
@testable import SkipChatEngine

/// `SpeculationTally` against counts written out by hand for a few rounds.
final class SpeculationTallyTests: XCTestCase {
    func testRoundsCountByDraftPosition() {
        var tally = SpeculationTally(layerCount: 4)
        // Rounds: 3 drafts / 2 accepted, 2 / 2, 1 / 0.
        tally.recordRound(drafted: 3, accepted: 2)
        tally.recordRound(drafted: 2, accepted: 2)
        tally.recordRound(drafted: 1, accepted: 0)
        XCTAssertEqual(tally.draftedByPosition, [3, 2, 1])
        XCTAssertEqual(tally.acceptedByPosition, [2, 2, 0])
        XCTAssertEqual(tally.draftedTokens, 6)
        XCTAssertEqual(tally.acceptedDrafts, 4)
        XCTAssertEqual(tally.acceptanceRate!, 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(tally.acceptanceByPosition.map { $0! }, [2.0 / 3.0, 1, 0])
    }

    func testExitHistogramAndMean() {
        var tally = SpeculationTally(layerCount: 4)
        XCTAssertNil(tally.meanExitLayer)
        XCTAssertNil(tally.acceptanceRate)
        for layer in [2, 2, 4, 9, 0] { tally.recordCommitted(exitLayer: layer) }
        // 9 and 0 fall outside 1 … 4 and are counted at 4 and 1.
        XCTAssertEqual(tally.exitLayerCounts, [1, 2, 0, 2])
        XCTAssertEqual(tally.meanExitLayer!, (1.0 + 2 + 2 + 4 + 4) / 5, accuracy: 1e-12)
    }

    func testAddingGrowsToTheLongerTally() {
        var a = SpeculationTally(layerCount: 2)
        a.recordRound(drafted: 1, accepted: 1)
        a.recordCommitted(exitLayer: 1)
        var b = SpeculationTally(layerCount: 2)
        b.recordRound(drafted: 3, accepted: 1)
        b.recordCommitted(exitLayer: 2)
        let sum = a.adding(b)
        XCTAssertEqual(sum.draftedByPosition, [2, 1, 1])
        XCTAssertEqual(sum.acceptedByPosition, [2, 0, 0])
        XCTAssertEqual(sum.exitLayerCounts, [1, 1])
    }
}
