import Foundation
import XCTest
@testable import SkipChatEngine

/// Speculative sampling keeps the model's distribution (issue 3 invariant b): over many seeded
/// runs, the tokens sampled with self-speculation and with plain sampling follow the same
/// distribution (chi-square test of homogeneity).
final class SamplingDistributionTests: XCTestCase {
    typealias S = DecoderTestSupport

    /// Counts of the token at `index` of the reply over `runs` seeds.
    func histogram(_ model: LanguageModel, settings: DecoderSettings, runs: Int, index: Int) throws -> [Int32: Int] {
        let session = GenerationSession(model: model)
        var counts: [Int32: Int] = [:]
        for seed in 0..<runs {
            var s = settings
            s.sampling.seed = UInt64(seed) &* 0x9E37_79B9 &+ 11
            let tokens = try S.run(session, prompt: [1, 40, 75], settings: s, maxTokens: index + 1).tokens
            if tokens.count > index { counts[tokens[index], default: 0] += 1 }
        }
        return counts
    }

    /// Two-sample chi-square statistic and its degrees of freedom (categories with < 10 pooled
    /// observations are merged into one).
    func chiSquare(_ a: [Int32: Int], _ b: [Int32: Int]) -> (Double, Int) {
        let na = Double(a.values.reduce(0, +)), nb = Double(b.values.reduce(0, +))
        var cells: [(Double, Double)] = []
        var restA = 0.0, restB = 0.0
        for key in Set(a.keys).union(b.keys) {
            let x = Double(a[key] ?? 0), y = Double(b[key] ?? 0)
            if x + y < 10 { restA += x; restB += y } else { cells.append((x, y)) }
        }
        if restA + restB > 0 { cells.append((restA, restB)) }
        var stat = 0.0
        for (x, y) in cells {
            let total = x + y
            let ea = total * na / (na + nb), eb = total * nb / (na + nb)
            stat += (x - ea) * (x - ea) / ea + (y - eb) * (y - eb) / eb
        }
        return (stat, cells.count - 1)
    }

    /// Upper 0.1% point of χ²(df) (Wilson–Hilferty approximation; z = 3.09).
    func critical(_ df: Int) -> Double {
        let k = Double(df)
        let c = 1 - 2 / (9 * k) + 3.09 * (2 / (9 * k)).squareRoot()
        return k * c * c * c
    }

    /// Over 3000 seeds, the reply tokens at `indices` sampled with self-speculation (exit layer
    /// `exit`, depth 3) follow plain sampling's distribution under the same `sampling`.
    func assertSpeculativeSamplingMatchesPlainSampling(_ model: LanguageModel, exit: Int,
                                                       sampling: SamplingParameters = SamplingParameters(temperature: 1.0, topK: 8),
                                                       indices: [Int] = [1, 2]) throws {
        let runs = 3000
        for index in indices {
            let plain = try histogram(model, settings: S.settings(model, mode: .autoregressive, sampling: sampling), runs: runs, index: index)
            let spec = try histogram(model, settings: S.settings(model, mode: .fixed, exit: exit, depth: 3, sampling: sampling),
                                     runs: runs, index: index)
            let (stat, df) = chiSquare(plain, spec)
            XCTAssertGreaterThan(df, 1, "the distribution is degenerate; the test cannot tell anything")
            XCTAssertLessThan(stat, critical(df), "token \(index): χ² = \(stat) with \(df) degrees of freedom")
        }
    }

    func testSpeculativeSamplingMatchesPlainSampling() throws {
        try assertSpeculativeSamplingMatchesPlainSampling(try S.fixtureModel("tiny-llama.gguf"), exit: 1)
    }

    /// With the chat's kind of repetition penalty (here strong, 1.5, over a window of 2 tokens so
    /// the window moves within the reply) draft and verifier penalise the same tokens at every
    /// position, and speculative sampling keeps the penalised distribution.
    func testSpeculativeSamplingWithWindowedRepetitionPenaltyMatchesPlainSampling() throws {
        try assertSpeculativeSamplingMatchesPlainSampling(try S.fixtureModel("tiny-llama.gguf"), exit: 1,
                                                          sampling: SamplingParameters(temperature: 1.0, topK: 8, repetitionPenalty: 1.5,
                                                                                       repetitionWindow: 2),
                                                          indices: [2, 3])
    }

    /// The same check must fail for a decoder that takes drafts without the acceptance test:
    /// guards against a chi-square test too weak to notice.
    func testChiSquareDetectsADifferentDistribution() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        let t1 = try histogram(model, settings: S.settings(model, mode: .autoregressive,
                                                          sampling: SamplingParameters(temperature: 1.0, topK: 8)), runs: 1500, index: 1)
        let t2 = try histogram(model, settings: S.settings(model, mode: .autoregressive,
                                                          sampling: SamplingParameters(temperature: 0.4, topK: 8)), runs: 1500, index: 1)
        let (stat, df) = chiSquare(t1, t2)
        XCTAssertGreaterThan(stat, critical(df))
    }
}
