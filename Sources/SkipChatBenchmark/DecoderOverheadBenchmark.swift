import Foundation
import SkipChatEngine

/// The decoder's own cost outside the model's computation: plain decoding through
/// `GenerationSession` (events, detokenizer, statistics, knob reads, bookkeeping) against a bare
/// loop of the same forward-pass calls (embed, all layers, head, argmax) over the same tokens,
/// in the same run. Overhead = session time ÷ bare time − 1.
public struct DecoderOverheadResult: Sendable, Codable {
    public var tokens: Int
    public var sessionSecondsPerToken: Double
    public var bareSecondsPerToken: Double
    public var overhead: Double
}

public enum DecoderOverheadBenchmark {
    /// - Parameters:
    ///   - tokens: tokens generated per timing; the best of `repeats` timings of each is used.
    public static func run(model: LanguageModel, prompt: [Int32], tokens: Int = 48, repeats: Int = 3) throws -> DecoderOverheadResult {
        var settings = model.defaultSettings()
        settings.mode = .autoregressive
        let session = GenerationSession(model: model)
        var generated: [Int32] = []
        var sessionBest = Double.infinity
        for _ in 0..<repeats {
            var seconds = 0.0
            generated = try session.generate(prompt: prompt, maxTokens: tokens, knobs: DecoderKnobs(settings)) { event in
                if case let .finished(_, _, stats) = event { seconds = stats.decodeSeconds }
            }
            sessionBest = min(sessionBest, seconds / Double(max(1, generated.count)))
        }
        // The same computation without the decoder: the prompt prefilled, then every token of the
        // reply run through the model one at a time.
        let config = model.config, vocab = model.weights.lmHead.rows
        let pass = ForwardPass(model: model.llama, maxBatch: 32, maxPositions: prompt.count + tokens + 1)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: config.hiddenSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: vocab)
        defer { hidden.deallocate(); logits.deallocate() }
        let inputs = [prompt.last!] + generated.dropLast()
        var bareBest = Double.infinity
        for _ in 0..<repeats {
            pass.cache.truncate(to: 0)
            pass.prefill(prompt.dropLast(), startPosition: 0)
            let seconds = time {
                for (i, token) in inputs.enumerated() {
                    pass.embed([token], into: hidden)
                    pass.runLayers(0..<config.layerCount, hidden: hidden, count: 1, startPosition: prompt.count - 1 + i)
                    pass.logits(hidden: hidden, count: 1, into: logits)
                    _ = LogitsProcessor.argmax(logits, count: vocab)
                }
            }
            bareBest = min(bareBest, seconds / Double(max(1, inputs.count)))
        }
        return DecoderOverheadResult(tokens: generated.count, sessionSecondsPerToken: sessionBest,
                                     bareSecondsPerToken: bareBest, overhead: sessionBest / bareBest - 1)
    }
}
