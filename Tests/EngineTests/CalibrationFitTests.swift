import Foundation
import XCTest
@testable import SkipChatCalibration
@testable import SkipChatEngine

/// Ridge regression and exit-adapter fitting on the fixture model.
final class CalibrationFitTests: XCTestCase {
    typealias C = CalibrationTestSupport

    /// The LAPACK solution equals a direct solve of the normal equations (Gauss–Jordan in double).
    func testRidgeEqualsDirectSolve() {
        let (n, d, lambda) = (40, 5, 0.3)
        var rng = SeededGenerator(seed: 11)
        let x = (0..<(n * d)).map { _ in Float(rng.nextUnit()) * 2 - 1 }
        let y = (0..<(n * d)).map { i in x[i] * 0.5 + Float(rng.nextUnit()) - 0.2 }
        guard let fit = RidgeRegression(x: x, y: y, rows: n, dimension: d).solve(lambda: lambda) else { return XCTFail("no solution") }

        let mx = (0..<d).map { i in (0..<n).reduce(0.0) { $0 + Double(x[$1 * d + i]) } / Double(n) }
        let my = (0..<d).map { i in (0..<n).reduce(0.0) { $0 + Double(y[$1 * d + i]) } / Double(n) }
        // Augmented [XᵀX + λI | XᵀY] on centred data, reduced to [I | Wᵀ].
        var m = [[Double]](repeating: [Double](repeating: 0, count: 2 * d), count: d)
        for r in 0..<n {
            for i in 0..<d {
                let xi = Double(x[r * d + i]) - mx[i]
                for j in 0..<d {
                    m[i][j] += xi * (Double(x[r * d + j]) - mx[j])
                    m[i][d + j] += xi * (Double(y[r * d + j]) - my[j])
                }
            }
        }
        for i in 0..<d { m[i][i] += lambda }
        for p in 0..<d {
            let pivot = m[p][p]
            m[p] = m[p].map { $0 / pivot }
            for r in 0..<d where r != p {
                let f = m[r][p]
                for c in 0..<(2 * d) { m[r][c] -= f * m[p][c] }
            }
        }
        for o in 0..<d {
            var bias = my[o]
            for i in 0..<d {
                XCTAssertEqual(Double(fit.weight[o * d + i]), m[i][d + o], accuracy: 1e-5, "W[\(o)][\(i)]")
                bias -= m[i][d + o] * mx[i]
            }
            XCTAssertEqual(Double(fit.bias[o]), bias, accuracy: 1e-5, "b[\(o)]")
        }
    }

    /// An adapter fitted to map layer l's residual stream to layer L's on the fixture's own
    /// states reproduces held-out final states better than using layer l as is (identity).
    func testAdapterBeatsIdentityOnFixtureStates() throws {
        let model = try DecoderTestSupport.fixtureModel("tiny-llama.gguf")
        let (last, d, vocab) = (model.config.layerCount, model.config.hiddenSize, model.weights.lmHead.rows)
        let train = HiddenStates.collect(model: model.llama, sequences: C.sequences(count: 40, length: 60, vocab: vocab, seed: 1), layers: [1, 2])
        let test = HiddenStates.collect(model: model.llama, sequences: C.sequences(count: 8, length: 60, vocab: vocab, seed: 2), layers: [1, 2])
        XCTAssertEqual(train.rows, 40 * 59)
        for layer in [1, 2] {
            let ridge = RidgeRegression(x: train.byLayer[layer]!, y: train.byLayer[last]!, rows: train.rows, dimension: d)
            let fit = try XCTUnwrap(ridge.solve(lambda: 1e-3 * ridge.gramScale))
            let mapped = Calibrator.apply(fit, to: test.byLayer[layer]!, rows: test.rows, dimension: d)
            func error(_ predicted: [Float]) -> Double {
                zip(predicted, test.byLayer[last]!).reduce(0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            }
            // Measured on this fixture: about 0.7 × the identity's error.
            XCTAssertLessThan(error(mapped), 0.9 * error(test.byLayer[layer]!), "layer \(layer)")
        }
    }

    /// End to end on the fixture: adapters raise held-out agreement, the draft head holds the
    /// requested number of ids, end-of-turn included.
    func testCalibratorRaisesAgreementOnFixture() throws {
        let model = try DecoderTestSupport.fixtureModel("tiny-llama.gguf")
        let (sidecar, report) = try C.fit(model)
        XCTAssertEqual(sidecar.layers, [1, 2, 3])
        XCTAssertEqual(report.layers.map(\.layer), [1, 2, 3])
        XCTAssertGreaterThan(report.trainTokens, 2000)
        for l in report.layers { XCTAssertGreaterThan(l.adapted, l.raw, "layer \(l.layer)") }
        XCTAssertLessThanOrEqual(sidecar.draftVocabulary.count, 64)
        XCTAssertTrue(model.tokenizer.endOfTurnIDs.isSubset(of: Set(sidecar.draftVocabulary)))
    }

    func testBadCalibrationInput() throws {
        let model = try DecoderTestSupport.fixtureModel("tiny-llama.gguf")
        let directory = try ModelFileTestSupport.scratchDirectory(for: self)
        let empty = directory.appendingPathComponent("empty.txt").path
        try Data("  \n\n ".utf8).write(to: URL(fileURLWithPath: empty))
        XCTAssertThrowsError(try CalibrationCorpus(path: empty)) { XCTAssertEqual("\($0)", "corpus \(empty): holds no text") }
        let broken = directory.appendingPathComponent("broken.jsonl").path
        try Data("{\"text\": \"hi\"}\n{oops\n".utf8).write(to: URL(fileURLWithPath: broken))
        XCTAssertThrowsError(try CalibrationCorpus(path: broken)) { XCTAssertEqual("\($0)", "corpus \(broken): line 2 is not a JSON object") }
        let chat = directory.appendingPathComponent("chat.jsonl").path
        try Data("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n".utf8).write(to: URL(fileURLWithPath: chat))
        XCTAssertEqual(try CalibrationCorpus(path: chat).documents, [.conversation([ChatMessage(role: "user", content: "hi")])])
        let tiny = CalibrationCorpus(source: "tiny", documents: [.text("the cat")])
        let options = CalibrationOptions(layers: [1], trainTokens: 100, heldoutTokens: 10, draftVocabulary: 0)
        XCTAssertThrowsError(try Calibrator.run(model: model, corpus: tiny, options: options)) {
            XCTAssertTrue("\($0)".hasPrefix("the corpus gave"), "\($0)")
        }
        let badLayer = CalibrationOptions(layers: [4], trainTokens: 100, heldoutTokens: 10, draftVocabulary: 0)
        XCTAssertThrowsError(try Calibrator.run(model: model, corpus: C.textCorpus(documents: 20, seed: 1), options: badLayer)) {
            XCTAssertEqual("\($0)", "exit layer 4 is not in 1…3")
        }
    }
}
