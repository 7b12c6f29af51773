import XCTest
@testable import SkipChatEngine

/// Logits processing, acceptance rules and the auto tuner, on hand-computed cases.
final class SamplingUnitTests: XCTestCase {
    func distribution(_ logits: [Float], _ p: SamplingParameters, context: [Int32] = []) -> TokenDistribution {
        logits.withUnsafeBufferPointer { LogitsProcessor(p).distribution($0.baseAddress!, count: logits.count, context: context) }
    }

    func testArgmaxTakesLowestIndexOnTies() {
        let logits: [Float] = [0.5, 2, -1, 2]
        XCTAssertEqual(logits.withUnsafeBufferPointer { LogitsProcessor.argmax($0.baseAddress!, count: 4) }, 1)
    }

    func testTemperatureSoftmax() {
        let d = distribution([0, log(3)], SamplingParameters(temperature: 1))
        XCTAssertEqual(d.ids, [1, 0])
        XCTAssertEqual(d.probabilities[0], 0.75, accuracy: 1e-6)
        let cooled = distribution([0, log(3)], SamplingParameters(temperature: 0.5))
        XCTAssertEqual(cooled.probabilities[0], 0.9, accuracy: 1e-6)  // 9 / (9 + 1)
    }

    func testTopKTopPMinP() {
        let logits: [Float] = [log(0.1), log(0.4), log(0.3), log(0.2)]
        XCTAssertEqual(distribution(logits, SamplingParameters(temperature: 1, topK: 2)).ids, [1, 2])
        let k2 = distribution(logits, SamplingParameters(temperature: 1, topK: 2))
        XCTAssertEqual(k2.probabilities[0], 0.4 / 0.7, accuracy: 1e-6)
        // Nucleus 0.65: 0.4 + 0.3 ≥ 0.65 → two tokens.
        XCTAssertEqual(distribution(logits, SamplingParameters(temperature: 1, topP: 0.65)).ids, [1, 2])
        // min-p 0.6: keep p ≥ 0.24 → 0.4 and 0.3.
        XCTAssertEqual(distribution(logits, SamplingParameters(temperature: 1, minP: 0.6)).ids, [1, 2])
    }

    func testRepetitionPenalty() {
        let d = distribution([2, 2], SamplingParameters(temperature: 1, repetitionPenalty: 2), context: [0])
        // logit of token 0 becomes 1: p0 = e^1 / (e^1 + e^2).
        XCTAssertEqual(d.probability(of: 0), Float(exp(1.0) / (exp(1.0) + exp(2.0))), accuracy: 1e-6)
    }

    /// A window of 1 penalises only the last context token: logits [2, 2, 2], context [0, 1],
    /// penalty 2 → logits [2, 1, 2]: p1 = e^1 / (2e^2 + e^1), p0 = p2 = e^2 / (2e^2 + e^1).
    func testRepetitionPenaltyWindow() {
        let d = distribution([2, 2, 2], SamplingParameters(temperature: 1, repetitionPenalty: 2, repetitionWindow: 1), context: [0, 1])
        let z = 2 * exp(2.0) + exp(1.0)
        XCTAssertEqual(d.probability(of: 1), Float(exp(1.0) / z), accuracy: 1e-6)
        XCTAssertEqual(d.probability(of: 0), Float(exp(2.0) / z), accuracy: 1e-6)
    }

    /// The chat penalises repetition unless the model's generation config sets a penalty.
    func testChatAddsRepetitionPenaltyUnlessTheModelSetsOne() {
        let chat = RecommendedSampling.smolLM2.forChat
        XCTAssertEqual(chat.parameters.repetitionPenalty, 1.1)
        XCTAssertEqual(chat.parameters.repetitionWindow, 64)
        XCTAssertEqual(chat.parameters.temperature, 0.2)
        var own = RecommendedSampling(parameters: SamplingParameters(temperature: 0.7, repetitionPenalty: 1.3), source: "generation_config.json")
        own.setsRepetitionPenalty = true
        XCTAssertEqual(own.forChat, own)
    }

    func testResidualDistribution() throws {
        let p = TokenDistribution(ids: [0, 1, 2], probabilities: [0.5, 0.3, 0.2])
        let q = TokenDistribution(ids: [0, 1], probabilities: [0.8, 0.2])
        let r = try XCTUnwrap(TokenDistribution.residual(p, minus: q))
        XCTAssertEqual(r.ids, [1, 2])
        XCTAssertEqual(r.probabilities[0], 0.1 / 0.3, accuracy: 1e-6)
        XCTAssertEqual(r.probabilities[1], 0.2 / 0.3, accuracy: 1e-6)
    }

    func testGreedyAcceptance() {
        XCTAssertEqual(acceptGreedy(drafts: [5, 6, 7], verifierArgmax: [5, 6, 9, 1], hasBonusRow: true),
                       AcceptanceResult(accepted: 2, verifierToken: 9))
        XCTAssertEqual(acceptGreedy(drafts: [5, 6], verifierArgmax: [5, 6, 8], hasBonusRow: true),
                       AcceptanceResult(accepted: 2, verifierToken: 8))
        XCTAssertEqual(acceptGreedy(drafts: [5, 2], verifierArgmax: [5, 2], hasBonusRow: false),
                       AcceptanceResult(accepted: 2, verifierToken: nil))
        XCTAssertEqual(acceptGreedy(drafts: [4], verifierArgmax: [3, 1], hasBonusRow: true),
                       AcceptanceResult(accepted: 0, verifierToken: 3))
    }

    /// With q == p every draft is accepted; with q putting all mass where p has none, none is.
    func testSampledAcceptanceExtremes() {
        var rng = SeededGenerator(seed: 3)
        let p = TokenDistribution(ids: [1, 2], probabilities: [0.5, 0.5])
        let same = acceptSampled(drafts: [1, 2, 1], draftDistributions: [p, p, p], hasBonusRow: true,
                                 verifier: { _ in p }, rng: &rng)
        XCTAssertEqual(same.accepted, 3)
        let q = TokenDistribution(ids: [7], probabilities: [1])
        let other = acceptSampled(drafts: [7], draftDistributions: [q], hasBonusRow: true, verifier: { _ in p }, rng: &rng)
        XCTAssertEqual(other.accepted, 0)
        XCTAssertTrue([1, 2].contains(other.verifierToken))
    }

    func testAutoTunerPrefersPlainDecodingWhenDraftsFailAndDraftsWhenTheySucceed() {
        var tuner = AutoTuner(layerCount: 16, costs: .assumed(headInLayers: 2, exitInLayers: 2))
        for e in 1..<16 { for _ in 0..<30 { tuner.record(exitLayer: e, drafted: 4, accepted: 0) } }
        XCTAssertNil(tuner.choose())
        var good = AutoTuner(layerCount: 16, costs: .assumed(headInLayers: 2, exitInLayers: 2))
        for _ in 0..<30 { good.record(exitLayer: 4, drafted: 8, accepted: 8) }
        let choice = good.choose()
        XCTAssertEqual(choice?.exitLayer, 4)
        XCTAssertGreaterThanOrEqual(choice?.depth ?? 0, 4)
    }

    func testSeededGeneratorIsReproducible() {
        var a = SeededGenerator(seed: 42), b = SeededGenerator(seed: 42)
        XCTAssertEqual((0..<5).map { _ in a.next() }, (0..<5).map { _ in b.next() })
        XCTAssertTrue((0..<1000).allSatisfy { _ in (0..<1).contains(a.nextUnit()) })
    }
}
