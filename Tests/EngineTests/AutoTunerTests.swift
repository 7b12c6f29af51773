import XCTest
@testable import SkipChatEngine

/// The auto mode's choice of exit layer and depth: candidate layers, and exploration when
/// drafting does not pay.
final class AutoTunerTests: XCTestCase {
    func testChoosesOnlyCandidateExitLayers() {
        var tuner = AutoTuner(layerCount: 16, costs: .assumed(headInLayers: 2, exitInLayers: 0.5), exitLayers: [3, 7, 40, 0])
        XCTAssertEqual(tuner.exitLayers, [3, 7])
        for _ in 0..<30 { tuner.record(exitLayer: 5, drafted: 4, accepted: 4) }   // not a candidate
        XCTAssertNil(tuner.choose())
        for _ in 0..<30 { tuner.record(exitLayer: 7, drafted: 4, accepted: 4) }
        XCTAssertEqual(tuner.choose()?.exitLayer, 7)
        XCTAssertEqual(AutoTuner(layerCount: 4, costs: .assumed(headInLayers: 1, exitInLayers: 1)).exitLayers, [1, 2, 3])
    }

    func testExplorationBacksOffWhileDraftsFail() {
        var tuner = AutoTuner(layerCount: 16, costs: .assumed(headInLayers: 2, exitInLayers: 2))
        var gaps: [Int] = []
        var plain = 0
        for _ in 0..<500 {
            if let choice = tuner.choose() {
                XCTAssertEqual(choice.depth, 1)
                XCTAssertTrue(choice.exploring)
                gaps.append(plain)
                plain = 0
                tuner.record(exitLayer: choice.exitLayer, drafted: 1, accepted: 0)
            } else {
                plain += 1
            }
        }
        XCTAssertEqual(Array(gaps.prefix(6)), [11, 23, 47, 95, 95, 95])
    }
}

extension MachineCosts {
    /// Costs in layer units: a layer costs 1, the head `headInLayers`, each draft exit
    /// `exitInLayers`, and each extra batched position 0.15 of one (the tuner's former fixed model).
    static func assumed(headInLayers: Double, exitInLayers: Double) -> MachineCosts {
        let growth = (1...maxBatch).map { 1 + 0.15 * Double($0 - 1) }
        return MachineCosts(layerSeconds: 1, batchGrowth: growth, headSeconds: headInLayers, headGrowth: growth,
                            exitSeconds: [:], plainExitSeconds: exitInLayers, probeSeconds: 0)
    }
}
