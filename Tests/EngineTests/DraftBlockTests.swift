import Foundation
import XCTest
@testable import SkipChatEngine

/// The draft block: its output against an independent reference, identity at zero output
/// projections, exact greedy output for every exit layer × depth with the block on, live knob
/// changes, and its cache kept complete across rounds.
final class DraftBlockTests: XCTestCase {
    typealias S = DecoderTestSupport
    typealias B = DraftBlockTestSupport

    /// Drafting position by position (layers [0, E), then the block on that one position) gives
    /// the logits of a plain-loop reference of the block over the whole sequence, put through
    /// the same final norm and head.
    func testBlockMatchesReference() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        let c = model.config
        let vocab = model.weights.lmHead.rows
        let d = c.hiddenSize
        let tokens: [Int32] = [1, 40, 75, 260, 111, 7, 99, 3]
        let row = UnsafeMutablePointer<Float>.allocate(capacity: d)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: vocab * tokens.count)
        let expected = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
        let raw = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
        defer { row.deallocate(); logits.deallocate(); expected.deallocate(); raw.deallocate() }
        for exit in [1, 2] {
            let weights = B.randomBlock(c, exit: exit)
            let forward = ForwardPass(model: model.llama, maxBatch: 4)
            forward.draftBlock = weights.makeBlock()
            var states: [Float] = []
            for (t, token) in tokens.enumerated() {
                forward.embed([token], into: row)
                forward.runLayers(0..<exit, hidden: row, count: 1, startPosition: t)
                states += Array(UnsafeBufferPointer(start: row, count: d))
                forward.draftLogits(hidden: row, count: 1, exitLayer: exit, position: t, into: logits + t * vocab)
                forward.runLayers(exit..<c.layerCount, hidden: row, count: 1, startPosition: t)
            }
            let reference = B.reference(weights, states: states, count: tokens.count, eps: c.rmsNormEps,
                                        inverseFrequencies: model.llama.inverseFrequencies, style: c.ropeStyle)
            var changed: Float = 0
            for t in 0..<tokens.count {
                reference.withUnsafeBufferPointer { forward.logits(hidden: $0.baseAddress! + t * d, count: 1, into: expected) }
                states.withUnsafeBufferPointer { forward.logits(hidden: $0.baseAddress! + t * d, count: 1, into: raw) }
                for i in 0..<vocab {
                    XCTAssertEqual(logits[t * vocab + i], expected[i], accuracy: 1e-2 * max(1, abs(expected[i])), "exit \(exit), position \(t)")
                    changed = max(changed, abs(expected[i] - raw[i]))
                }
            }
            XCTAssertGreaterThan(changed, 0.1, "the block changed nothing; the test cannot tell anything")
        }
    }

    /// Zero output projections: the block is the identity, so its drafts are the raw exit's.
    func testZeroProjectionsAreIdentity() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        let c = model.config
        let with = ForwardPass(model: model.llama, maxBatch: 4)
        with.draftBlock = B.randomBlock(c, exit: 2, identity: true).makeBlock()
        let without = ForwardPass(model: model.llama, maxBatch: 4)
        let vocab = model.weights.lmHead.rows
        let a = UnsafeMutablePointer<Float>.allocate(capacity: vocab), b = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
        let row = UnsafeMutablePointer<Float>.allocate(capacity: c.hiddenSize)
        defer { a.deallocate(); b.deallocate(); row.deallocate() }
        for (t, token) in ([1, 40, 75, 260] as [Int32]).enumerated() {
            for pass in [with, without] {
                pass.embed([token], into: row)
                pass.runLayers(0..<2, hidden: row, count: 1, startPosition: t)
            }
            with.draftLogits(hidden: row, count: 1, exitLayer: 2, position: t, into: a)
            without.draftLogits(hidden: row, count: 1, exitLayer: 2, position: t, into: b)
            for i in 0..<vocab { XCTAssertEqual(a[i], b[i], accuracy: 1e-4) }
        }
    }

    /// Greedy output with the block on equals plain greedy output for every exit layer and depth,
    /// and drafts at the block's exit differ from the raw exit's (the block is really used).
    func testEveryExitLayerAndDepthExactWithBlock() throws {
        for exit in 1..<4 {
            let blockModel = try B.fixtureModel(for: self, block: B.randomBlock(try S.fixtureModel("tiny-llama.gguf").config, exit: exit))
            XCTAssertNotNil(blockModel.draftBlock)
            XCTAssertTrue(blockModel.adapterSummary?.hasPrefix("draft block at L\(exit) (agreement 0.50)") == true,
                          blockModel.adapterSummary ?? "nil")
            let plainModel = try S.fixtureModel("tiny-llama.gguf")
            let prompt: [Int32] = [1, 40, 75, 260, 111]
            let plain = try S.run(GenerationSession(model: blockModel), prompt: prompt,
                                  settings: S.settings(blockModel, mode: .autoregressive), maxTokens: 40).tokens
            let session = GenerationSession(model: blockModel)
            for e in 1..<blockModel.config.layerCount {
                for k in 1...8 {
                    let (spec, _) = try S.run(session, prompt: prompt, settings: S.settings(blockModel, mode: .fixed, exit: e, depth: k),
                                              maxTokens: 40)
                    XCTAssertEqual(spec, plain, "block at \(exit): exit layer \(e), depth \(k)")
                }
            }
            let drafts = { (model: LanguageModel) throws -> [Int32] in
                try S.run(GenerationSession(model: model), prompt: prompt, settings: S.settings(model, mode: .fixed, exit: exit, depth: 4),
                          maxTokens: 40).events.compactMap { if case let .draft(t) = $0 { t.id } else { nil } }
            }
            XCTAssertNotEqual(try drafts(blockModel), try drafts(plainModel), "block at \(exit) drafted as the raw exit does")
        }
    }

    /// Changing mode, exit layer and depth between rounds with the block on keeps output exact
    /// (the block's cache stays complete through plain steps, dynamic rounds and roll-backs).
    func testKnobChangesWithBlockKeepOutputExact() throws {
        let config = try S.fixtureModel("tiny-llama.gguf").config
        let model = try B.fixtureModel(for: self, block: B.randomBlock(config, exit: 2))
        let prompt: [Int32] = [1, 40, 75, 260, 111]
        let plain = try S.run(GenerationSession(model: model), prompt: prompt,
                              settings: S.settings(model, mode: .autoregressive), maxTokens: 60).tokens
        var rng = SeededGenerator(seed: 11)
        let modes: [DecodingMode] = [.fixed, .dynamic, .auto, .autoregressive]
        let session = GenerationSession(model: model)
        for trial in 0..<20 {
            let (tokens, _) = try S.run(session, prompt: prompt, settings: S.settings(model, mode: .fixed, exit: 2, depth: 3),
                                        maxTokens: 60) { event, knobs in
                guard case .verified = event else { return }
                knobs.update { s in
                    s.mode = modes[Int(rng.next() % 4)]
                    s.exitLayer = 1 + Int(rng.next() % UInt64(config.layerCount - 1))
                    s.depth = 1 + Int(rng.next() % 8)
                    s.maxExitLayer = 1 + Int(rng.next() % UInt64(config.layerCount - 1))
                    s.dynamicThreshold = Float(rng.next() % 100) / 100
                }
            }
            XCTAssertEqual(tokens, plain, "trial \(trial)")
        }
    }

    /// Auto mode considers the block's exit and knows its cost; the default fixed exit is the block's.
    func testAutoModeKnowsTheBlock() throws {
        let config = try S.fixtureModel("tiny-llama.gguf").config
        let model = try B.fixtureModel(for: self, block: B.randomBlock(config, exit: 3))
        XCTAssertEqual(model.calibratedExitLayers, [3])
        XCTAssertEqual(model.defaultSettings().exitLayer, 3)
        XCTAssertGreaterThan(model.draftBlockCostInLayers, 0)
        let session = GenerationSession(model: model)
        XCTAssertEqual(session.autoTuner.exitLayers, [3])
        XCTAssertEqual(session.autoTuner.costs.exitSeconds.keys.sorted(), [3])
        XCTAssertGreaterThan(session.autoTuner.costs.exit(3), 0)
    }
}

extension SamplingDistributionTests {
    /// Speculative sampling drafting through a draft block keeps the model's distribution.
    func testSpeculativeSamplingWithDraftBlockMatchesPlainSampling() throws {
        let config = try S.fixtureModel("tiny-llama.gguf").config
        let model = try DraftBlockTestSupport.fixtureModel(for: self, block: DraftBlockTestSupport.randomBlock(config, exit: 2))
        try assertSpeculativeSamplingMatchesPlainSampling(model, exit: 2)
    }
}
