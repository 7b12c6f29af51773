import Foundation
import XCTest
@testable import SkipChatEngine

/// The measured-cost model of the auto tuner: the expected-speedup formula, the probe, its cache
/// file (a corrupt one is ignored), and the tuner state the decoder reports.
final class MachineCostsTests: XCTestCase {
    typealias S = DecoderTestSupport

    /// The formula against a hand computation: L = 16, t = 1, head 2, draft exit 0.5,
    /// c(T) = c_h(T) = 1 + 0.1·(T − 1), α = 0.6, E = 4, K = 3.
    /// Tokens 1 + 0.6 + 0.36 + 0.216 = 2.176; round 3·(4 + 0.5) + 4 + 12·1.3 + 2·1.3 = 35.7;
    /// plain 16 + 2 = 18; speedup 2.176 ÷ 35.7 × 18 = 1.097143.
    func testExpectedSpeedupMatchesAHandComputation() {
        let growth = (1...9).map { 1 + 0.1 * Double($0 - 1) }
        let costs = MachineCosts(layerSeconds: 1, batchGrowth: growth, headSeconds: 2, headGrowth: growth,
                                 exitSeconds: [:], plainExitSeconds: 0.5, probeSeconds: 0)
        XCTAssertEqual(costs.expectedSpeedup(layerCount: 16, exitLayer: 4, depth: 3, acceptance: 0.6), 1.097143, accuracy: 1e-5)
        // Past T = 9 the curve goes on with its last slope: c(11) = 1.8 + 2 × 0.1.
        XCTAssertEqual(costs.batch(11), 2.0, accuracy: 1e-12)
        XCTAssertEqual(costs.batch(1), 1)
    }

    /// Readings are upper bounds (load only adds time): the curve is the lowest reading at or
    /// after each T, at least 1, so a spike at one T does not raise the larger ones.
    func testGrowthIsOneAtOneNeverFallsAndDropsSpikes() {
        XCTAssertEqual(MachineCostProbe.growth([1, 0.9, 1.3, 1.2, .nan, 1.5]), [1, 1, 1.2, 1.2, 1.5, 1.5])
        XCTAssertEqual(MachineCostProbe.growth([1, 1.2, 9, 1.5, 25, 1.9, .nan]), [1, 1.2, 1.5, 1.5, 1.9, 1.9, 1.9])
    }

    /// The probe on the fixture model: within its time budget, plausible values, one draft exit
    /// per candidate exit layer.
    func testProbeMeasuresPlausibleCostsQuickly() throws {
        let config = try S.fixtureModel("tiny-llama.gguf").config
        let model = try DraftBlockTestSupport.fixtureModel(for: self, block: DraftBlockTestSupport.randomBlock(config, exit: 3))
        let costs = MachineCostProbe.measure(model)
        XCTAssertTrue(costs.isPlausible, "\(costs)")
        XCTAssertLessThan(costs.probeSeconds, 0.15)
        XCTAssertEqual(costs.exitSeconds.keys.sorted(), [3])
        XCTAssertEqual(costs.batchGrowth.count, MachineCosts.maxBatch)
        XCTAssertEqual(zip(costs.batchGrowth, costs.batchGrowth.dropFirst()).filter { $0 > $1 }.count, 0)
    }

    /// A cache file that is not JSON, made for another key, or implausible is ignored; a good one
    /// reads back as written.
    func testCacheFileIsCheckedBeforeUse() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("p.json")
        let good = MachineCosts(layerSeconds: 1e-4, batchGrowth: (1...9).map { 1 + 0.2 * Double($0 - 1) }, headSeconds: 5e-4,
                                headGrowth: Array(repeating: 1, count: 9), exitSeconds: [10: 2e-4], plainExitSeconds: 1e-4,
                                probeSeconds: 0.05)
        try Data("{\"key\": \"k\", \"costs\": {\"layer".utf8).write(to: url)
        XCTAssertNil(MachineCostProbe.read(url, key: "k"))
        MachineCostProbe.write(good, key: "k", to: url)
        XCTAssertEqual(MachineCostProbe.read(url, key: "k"), good)
        XCTAssertNil(MachineCostProbe.read(url, key: "another machine"))
        var bad = good
        bad.layerSeconds = -1
        MachineCostProbe.write(bad, key: "k", to: url)
        XCTAssertNil(MachineCostProbe.read(url, key: "k"))
    }

    /// A record taken on a busy machine (slower layers) gives way to a quieter measurement, and
    /// a quieter cached record outlives a busy re-measurement.
    func testTheQuieterRecordIsKept() {
        let quiet = MachineCosts(layerSeconds: 2e-4, batchGrowth: (1...9).map { 1 + 0.3 * Double($0 - 1) }, headSeconds: 5e-4,
                                 headGrowth: Array(repeating: 1, count: 9), exitSeconds: [10: 2e-4], plainExitSeconds: 1e-4,
                                 probeSeconds: 0.05)
        var busy = quiet
        busy.layerSeconds = 8.7e-3
        busy.batchGrowth = [1, 1, 1, 1.02, 1.02, 1.58, 1.88, 1.88, 1.88]
        XCTAssertEqual(MachineCostProbe.quieter(cached: busy, measured: quiet), quiet)
        XCTAssertEqual(MachineCostProbe.quieter(cached: quiet, measured: busy), quiet)
        XCTAssertEqual(MachineCostProbe.quieter(cached: nil, measured: busy), busy)
    }

    /// Auto mode reports the tuner's state with every round's statistics: its candidate exit
    /// layers, depths 1 … 8, and a decision consistent with the best expected speedup.
    func testAutoModeReportsTheTunerState() throws {
        let config = try S.fixtureModel("tiny-llama.gguf").config
        let model = try DraftBlockTestSupport.fixtureModel(for: self, block: DraftBlockTestSupport.randomBlock(config, exit: 3))
        let session = GenerationSession(model: model)
        let (_, events) = try S.run(session, prompt: S.chatPrompt(model, "Hello"),
                                    settings: S.settings(model, mode: .auto), maxTokens: 24)
        guard case let .finished(_, _, stats)? = events.last, let tuner = stats.tuner else { return XCTFail("no tuner state") }
        XCTAssertEqual(tuner.rows.map(\.exitLayer), [3])
        XCTAssertEqual(tuner.rows[0].speedups.count, 8)
        XCTAssertEqual(tuner.expectedSpeedup, tuner.rows[0].speedups.max()!, accuracy: 1e-12)
        if tuner.decision == .drafting { XCTAssertGreaterThan(tuner.expectedSpeedup, 1) }
        // Exploration rounds draft one token.
        for case let .verified(round, _, _, _, _) in events where round.exploring { XCTAssertEqual(round.drafted, 1) }
    }

    func testSummaryLines() {
        var state = TunerState(decision: .plain, exitLayer: 10, depth: 1, expectedSpeedup: 0.934,
                               rows: [.init(exitLayer: 10, acceptance: 0.31, speedups: [0.934, 0.8])],
                               batchGrowth: [1, 1.2], stepSeconds: 0.01, measured: true)
        XCTAssertEqual(state.summary, "plain (E10 K1 would run 0.93×)")
        state.decision = .drafting
        XCTAssertEqual(state.summary, "E10 K1 (0.93×)")
        XCTAssertEqual(state.tableLines().count, 3)
        XCTAssertTrue(state.tableLines()[2].contains("0.93*"), state.tableLines()[2])
    }
}
