import Foundation
import SkipChatEngine

/// Speed of self-speculative decoding on a model whose drafts are accepted with a chosen
/// probability: runs the decoder's exact compute pattern (K drafts through layers [0, E) and the
/// head — or a reduced-vocabulary draft head of the first `draftVocabulary` rows, as
/// `calibrate --draft-vocab` makes — the last draft's early layers, one batched verification of layers [E, L) and the head
/// over K + 1 positions, KV roll-back), with each draft accepted with probability P, and compares
/// committed tokens/s with plain decoding measured in the same run. This tells what a LayerSkip
/// checkpoint with that acceptance would gain on this CPU without downloading one.
public struct ForcedAcceptanceResult: Sendable, Codable {
    public var acceptance: Double
    public var exitLayer: Int
    public var depth: Int
    /// Rows of the draft head (the full vocabulary when no reduced head was used).
    public var draftVocabulary: Int
    public var tokensPerSecond: Double
    public var autoregressiveTokensPerSecond: Double
    public var speedup: Double
}

public enum ForcedAcceptanceBenchmark {
    /// - Parameters:
    ///   - tokens: tokens to commit per measurement.
    ///   - draftHead: the reduced head drafts read (nil: the full head).
    public static func run(model: LlamaModel, acceptance: Double, exitLayer e: Int, depth k: Int,
                           draftHead: DraftHead? = nil, tokens: Int = 64, seed: UInt64 = 1) -> ForcedAcceptanceResult {
        let config = model.config
        let vocab = model.weights.lmHead.rows
        let pass = ForwardPass(model: model, maxBatch: k + 1, maxPositions: tokens + k + 16)
        pass.draftHead = draftHead
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: (k + 1) * config.hiddenSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: (k + 1) * vocab)
        defer { hidden.deallocate(); logits.deallocate() }
        var rng = SeededGenerator(seed: seed)
        let token: Int32 = 1

        let plain = time {
            pass.cache.truncate(to: 0)
            for p in 0..<tokens {
                pass.embed([token], into: hidden)
                pass.runLayers(0..<config.layerCount, hidden: hidden, count: 1, startPosition: p)
                pass.logits(hidden: hidden, count: 1, into: logits)
                _ = LogitsProcessor.argmax(logits, count: vocab)
            }
        }
        var p = 0
        let speculative = time {
            pass.cache.truncate(to: 0)
            while p < tokens {
                let depth = min(k, max(1, tokens - p - 1))
                for i in 0...depth {
                    let row = Rows(hidden, width: config.hiddenSize).row(i)
                    pass.embed([token], into: row)
                    pass.runLayers(0..<e, hidden: row, count: 1, startPosition: p + i)
                    if i < depth {
                        pass.draftLogits(hidden: row, count: 1, exitLayer: e, position: p + i, into: logits)
                        _ = LogitsProcessor.argmax(logits, count: pass.draftCandidates)
                    }
                }
                pass.runLayers(e..<config.layerCount, hidden: hidden, count: depth + 1, startPosition: p)
                pass.logits(hidden: hidden, count: depth + 1, into: logits)
                var accepted = 0
                while accepted < depth && Double(rng.nextUnit()) < acceptance { accepted += 1 }
                for i in 0...accepted { _ = LogitsProcessor.argmax(Rows(logits, width: vocab).row(i), count: vocab) }
                p += accepted + 1
                pass.cache.truncate(to: p)
            }
        }
        let plainRate = Double(tokens) / plain
        let specRate = Double(p) / speculative
        return ForcedAcceptanceResult(acceptance: acceptance, exitLayer: e, depth: k, draftVocabulary: pass.draftCandidates,
                                      tokensPerSecond: specRate,
                                      autoregressiveTokensPerSecond: plainRate, speedup: specRate / plainRate)
    }
}
