import Foundation
import XCTest
@testable import SkipChatEngine

/// Random draft blocks for the fixture model, sidecars holding them, and an independent
/// reference of the block's formula (plain loops over float32, the weights rounded to BF16 as
/// the engine stores them).
enum DraftBlockTestSupport {
    /// A block with random non-trivial weights (or, with `identity`, zero output projections)
    /// shaped like `config`'s attention, MLP half as wide.
    static func randomBlock(_ config: LlamaConfig, exit: Int, seed: UInt64 = 9, identity: Bool = false) -> DraftBlockWeights {
        var rng = SeededGenerator(seed: seed)
        let shape = DraftBlock.Shape(hidden: config.hiddenSize, headCount: config.headCount, kvHeadCount: config.kvHeadCount,
                                     headDim: config.headDim, ffnSize: max(2, config.ffnSize / 2))
        var matrices: [String: [Float]] = [:]
        for name in DraftBlock.matrixNames {
            let dims = shape.matrixShape(name)
            let zero = identity && (name == "attn_output" || name == "ffn_down")
            let scale = 2 / Float(dims[1]).squareRoot()
            matrices[name] = (0..<(dims[0] * dims[1])).map { _ in zero ? 0 : BFloat16.float(BFloat16.bits((rng.nextUnit() - 0.5) * 2 * scale)) }
        }
        let norms = Dictionary(uniqueKeysWithValues: DraftBlock.normNames.map { name in
            (name, (0..<shape.hidden).map { _ in 0.5 + rng.nextUnit() })
        })
        return DraftBlockWeights(exitLayer: exit, shape: shape, matrices: matrices, norms: norms, agreement: 0.5)
    }

    /// A sidecar for `file` holding `block` only (no adapters, full-vocabulary drafts).
    static func sidecar(_ file: ModelFile, block: DraftBlockWeights?, draftVocabulary: [Int32] = []) -> DraftSidecarFile {
        let c = file.config
        let settings = DraftSidecarFile.Settings(modelName: file.name, modelFileSize: file.fileSize, hiddenSize: c.hiddenSize,
                                                layerCount: c.layerCount, vocabSize: file.weights.lmHead.rows, tokens: 0,
                                                corpus: "test", lambdas: [:])
        return DraftSidecarFile(settings: settings, maps: [:], draftVocabulary: draftVocabulary, draftBlock: block)
    }

    /// The fixture model (a scratch copy) with `block` in its sidecar.
    static func fixtureModel(for test: XCTestCase, block: DraftBlockWeights?, threads: Int = 2) throws -> LanguageModel {
        let copy = try CalibrationTestSupport.fixtureCopy(for: test)
        let file = try ModelFile.open(path: copy.path)
        try sidecar(file, block: block).write(to: DraftSidecar.besideModel(file))
        return try LanguageModel(file: try ModelFile.open(path: copy.path), threads: threads)
    }

    /// The block's output for every position of `states` ([n × hidden]), causal attention over
    /// all earlier positions, RoPE in `style` with `inverseFrequencies`.
    static func reference(_ b: DraftBlockWeights, states: [Float], count n: Int, eps: Float,
                          inverseFrequencies: [Float], style: RoPEStyle) -> [Float] {
        let s = b.shape, d = s.hidden, hd = s.headDim
        func matvec(_ name: String, _ x: ArraySlice<Float>) -> [Float] {
            let dims = s.matrixShape(name), w = b.matrices[name]!
            return (0..<dims[0]).map { r in
                var sum: Float = 0
                for c in 0..<dims[1] { sum += w[r * dims[1] + c] * x[x.startIndex + c] }
                return sum
            }
        }
        func norm(_ x: ArraySlice<Float>, _ name: String) -> [Float] {
            let ms = x.reduce(0) { $0 + $1 * $1 } / Float(d)
            let scale = 1 / (ms + eps).squareRoot()
            return x.indices.map { x[$0] * scale * b.norms[name]![$0 - x.startIndex] }
        }
        func rope(_ v: inout [Float], heads: Int, position: Int) {
            for h in 0..<heads {
                for i in 0..<(hd / 2) {
                    let (a, c) = style == .adjacentPairs ? (h * hd + 2 * i, h * hd + 2 * i + 1) : (h * hd + i, h * hd + i + hd / 2)
                    let angle = Float(position) * inverseFrequencies[i]
                    let (x0, x1) = (v[a], v[c])
                    v[a] = x0 * cos(angle) - x1 * sin(angle)
                    v[c] = x0 * sin(angle) + x1 * cos(angle)
                }
            }
        }
        var keys: [[Float]] = [], values: [[Float]] = []
        for t in 0..<n {
            let n0 = norm(states[(t * d)..<((t + 1) * d)], "attn_norm")
            var k = matvec("attn_k", n0[...])
            rope(&k, heads: s.kvHeadCount, position: t)
            keys.append(k)
            values.append(matvec("attn_v", n0[...]))
        }
        var out: [Float] = []
        for t in 0..<n {
            var x = Array(states[(t * d)..<((t + 1) * d)])
            var q = matvec("attn_q", norm(x[...], "attn_norm")[...])
            rope(&q, heads: s.headCount, position: t)
            var attended = [Float](repeating: 0, count: s.qWidth)
            for h in 0..<s.headCount {
                let g = h / (s.headCount / s.kvHeadCount)
                let scores = (0...t).map { j in
                    (0..<hd).reduce(Float(0)) { $0 + q[h * hd + $1] * keys[j][g * hd + $1] } / Float(hd).squareRoot()
                }
                let top = scores.max()!
                let weights = scores.map { exp($0 - top) }
                let total = weights.reduce(0, +)
                for j in 0...t { for i in 0..<hd { attended[h * hd + i] += weights[j] / total * values[j][g * hd + i] } }
            }
            for (i, v) in matvec("attn_output", attended[...]).enumerated() { x[i] += v }
            let n1 = norm(x[...], "ffn_norm")
            let gate = matvec("ffn_gate", n1[...]), up = matvec("ffn_up", n1[...])
            let hidden = zip(gate, up).map { g, u in g / (1 + exp(-g)) * u }
            for (i, v) in matvec("ffn_down", hidden[...]).enumerated() { x[i] += v }
            out += x
        }
        return out
    }
}
