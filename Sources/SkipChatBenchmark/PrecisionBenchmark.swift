import Foundation
import SkipChatEngine

/// How far the fast activation precision (int8) moves a model's logits from the accurate one
/// (int16, itself within 0.1% of the numpy reference on the fixtures), on the greedy answers of
/// chat prompts. A greedy token that changes where the accurate logits' top-1 − top-2 margin
/// exceeds `margin` is a regression (the change is not a near-tie).
public struct PrecisionReport: Sendable, Codable {
    public var prompts: Int
    /// Answer positions compared (each prompt's accurate greedy answer, teacher-forced).
    public var positions: Int
    /// Positions whose argmax differs between the precisions.
    public var argmaxChanges: Int
    /// Of those, the ones where the accurate margin exceeded `margin`.
    public var changesAboveMargin: Int
    /// Logit margin that separates a near-tie from a regression.
    public var margin: Float
    /// Largest |Δlogit| ÷ the largest |logit| of that position, over all positions.
    public var maxRelativeLogitError: Float
    /// Prompts whose whole greedy answer differs.
    public var answersChanged: Int
    /// The kernel path both precisions ran on.
    public var kernelPath: String
}

public enum PrecisionBenchmark {
    /// Compares the two precisions on `prompts` (user turns, rendered with the model's template).
    /// Leaves the accurate precision selected. `environment` supplies SKIPCHAT_KERNELS.
    /// - Throws: `KernelSelectionError`, `GenerationError`.
    public static func run(model: LanguageModel, prompts: [String], maxTokens: Int, margin: Float = 0.1,
                           environment: [String: String]) throws -> PrecisionReport {
        defer { try? KernelSelection.configure(environment: environment, precision: .accurate) }
        var report = PrecisionReport(prompts: prompts.count, positions: 0, argmaxChanges: 0, changesAboveMargin: 0,
                                     margin: margin, maxRelativeLogitError: 0, answersChanged: 0,
                                     kernelPath: KernelPath.active.rawValue)
        var greedy = model.defaultSettings()
        greedy.mode = .autoregressive
        greedy.sampling.temperature = 0
        for text in prompts {
            let prompt = model.promptTokens([ChatMessage(role: "user", content: text)])
            try KernelSelection.configure(environment: environment, precision: .accurate)
            // A fresh session per run: a session reuses the KV cache of a prompt it has seen, which
            // would carry the other precision's activations into this run.
            let answer = try GenerationSession(model: model).generate(prompt: prompt, maxTokens: maxTokens, knobs: DecoderKnobs(greedy)) { _ in }
            let accurate = answerLogits(model, prompt: prompt, answer: answer)
            try KernelSelection.configure(environment: environment, precision: .fast)
            let fastAnswer = try GenerationSession(model: model).generate(prompt: prompt, maxTokens: maxTokens, knobs: DecoderKnobs(greedy)) { _ in }
            let fast = answerLogits(model, prompt: prompt, answer: answer)
            if fastAnswer != answer { report.answersChanged += 1 }
            let vocab = model.config.vocabSize
            for p in 0..<answer.count {
                let a = accurate[(p * vocab)..<((p + 1) * vocab)], f = fast[(p * vocab)..<((p + 1) * vocab)]
                let (top, second) = topTwo(a)
                let fastTop = topTwo(f).0.index
                report.positions += 1
                if fastTop != top.index {
                    report.argmaxChanges += 1
                    if top.value - second > margin { report.changesAboveMargin += 1 }
                }
                var worst: Float = 0, scale: Float = 1
                for (x, y) in zip(a, f) { worst = max(worst, abs(x - y)); scale = max(scale, abs(x)) }
                report.maxRelativeLogitError = max(report.maxRelativeLogitError, worst / scale)
            }
        }
        return report
    }

    /// Logits [answer.count × vocab] predicting each answer token, from one pass over prompt + answer.
    private static func answerLogits(_ model: LanguageModel, prompt: [Int32], answer: [Int32]) -> [Float] {
        let sequence = prompt + answer
        let vocab = model.config.vocabSize, hidden = model.config.hiddenSize, batch = 32
        let pass = ForwardPass(model: model.llama, maxBatch: batch, maxPositions: sequence.count + 1)
        let h = UnsafeMutablePointer<Float>.allocate(capacity: batch * hidden)
        let l = UnsafeMutablePointer<Float>.allocate(capacity: batch * vocab)
        defer { h.deallocate(); l.deallocate() }
        var out: [Float] = []
        out.reserveCapacity(answer.count * vocab)
        var start = 0
        while start < sequence.count - 1 {
            let n = min(batch, sequence.count - 1 - start)
            pass.embed(sequence[start..<(start + n)], into: h)
            pass.runLayers(0..<model.config.layerCount, hidden: h, count: n, startPosition: start)
            pass.logits(hidden: h, count: n, into: l)
            for i in 0..<n where start + i >= prompt.count - 1 {   // position i predicts token i + 1
                out.append(contentsOf: UnsafeBufferPointer(start: Rows(l, width: vocab).row(i), count: vocab))
            }
            start += n
        }
        return out
    }

    private static func topTwo(_ logits: ArraySlice<Float>) -> ((index: Int, value: Float), Float) {
        var best = (index: 0, value: -Float.infinity), second = -Float.infinity
        for (i, v) in zip(logits.indices, logits) {
            if v > best.value { second = best.value; best = (i - logits.startIndex, v) } else if v > second { second = v }
        }
        return (best, second)
    }
}
