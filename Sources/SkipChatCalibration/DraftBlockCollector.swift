import CKernels
import Foundation
import SkipChatEngine

/// Training data for a draft block, by self-distillation: the model answers each prompt itself
/// (greedy, and optionally once more sampled), and for every position of each whole sequence
/// (prompt and reply) the engine keeps the residual stream after exit layer E — computed exactly
/// as drafting computes it, by `ForwardPass.runLayers` — and the final layer's normed hidden
/// state, from which the trainer gets the teacher's logits with the (dequantised) head.
///
/// Written as safetensors (`write(to:)`) for `scripts/train-draft-block/train.py`:
/// - `states` F32 [N, hidden]: layer-E residual stream of every position, sequences concatenated;
/// - `teacher` BF16 [N, hidden]: final RMSNorm output of the last layer at every position;
/// - `teacher_argmax` F32 [N]: the last layer's top token over the whole vocabulary (what a greedy
///   draft must match); `tokens` F32 [N]: the token at each position; `trained` F32 [N]: 1 where the next token is a
///   reply token (the positions a draft predicts), else 0;
/// - `sequence_starts` F32 [S + 1]: first position of each sequence, then N;
///   `sequence_styles` F32 [S]: index into the `styles` metadata list; `sequence_prompts` F32 [S]:
///   the prompt each sequence answers (a held-out split keeps a prompt's replies together);
/// - `draft_vocab` F32 [V]: the V most frequent reply tokens plus the end-of-turn ids;
/// - `head` F32 [V, hidden]: LM head rows of `draft_vocab`, dequantised; `final_norm` F32 [hidden];
/// - `layer.<name>` F32: layer E's weights (the block's warm start; names as `DraftBlock`'s);
/// - `rope_inverse_frequencies` F32 [headDim / 2];
/// - metadata: the model's identity (as the sidecar records it), exit layer, head counts, head
///   size, MLP width, RMSNorm ε, RoPE style, the styles, and how the replies were made.
public struct DraftTrainingData {
    public var exitLayer: Int
    public var positions = 0
    public var states: [Float] = []
    public var teacher: [Float] = []
    public var teacherArgmax: [Int32] = []
    public var tokens: [Int32] = []
    public var trained: [Bool] = []
    public var sequenceStarts: [Int] = [0]
    public var sequenceStyles: [Int] = []
    public var sequencePrompts: [Int] = []
    public var styles: [String] = []
    public var draftVocabulary: [Int32] = []
    /// Reply tokens generated (greedy and sampled together).
    public var replyTokens = 0

    public var sequenceCount: Int { sequenceStyles.count }
}

/// A prompt to self-distil, with the name of its style ("chitchat", "code", …).
public struct StyledPrompt: Sendable {
    public var style: String
    public var text: String

    public init(style: String, text: String) {
        self.style = style
        self.text = text
    }
}

public enum DraftBlockCollector {
    /// - Parameters:
    ///   - exitLayer: E, 1 … L−1.
    ///   - maxReplyTokens: longest reply generated.
    ///   - sampledTemperature: when set, every `sampledEvery`-th prompt is also answered once by
    ///     sampling at this temperature (top-p 0.95, seeded by the prompt's index).
    ///   - deadline: stop after the reply that passes it (the data so far is returned).
    ///   - draftVocabulary: size V of the reduced draft head (most frequent reply tokens; none
    ///     when there are no replies).
    ///   - progress: after each sequence, with the sequences done and the total.
    /// - Throws: `CalibrationError` when the exit layer is out of range or a prompt cannot be
    ///   generated from (too long for the context).
    public static func collect(model: LanguageModel, prompts: [StyledPrompt], exitLayer: Int, maxReplyTokens: Int,
                               sampledTemperature: Float?, sampledEvery: Int = 1, draftVocabulary: Int, deadline: Date? = nil,
                               progress: (Int, Int) -> Void = { _, _ in }) throws(CalibrationError) -> DraftTrainingData {
        let L = model.config.layerCount
        guard exitLayer >= 1 && exitLayer < L else { throw .layerOutOfRange(exitLayer, L) }
        var data = DraftTrainingData(exitLayer: exitLayer)
        data.styles = Array(Set(prompts.map(\.style))).sorted()
        let session = GenerationSession(model: model)
        let sampled = sampledTemperature.map { SamplingParameters(temperature: $0, topP: 0.95) }
        let every = max(1, sampledEvery)
        let total = prompts.count + (sampled == nil ? 0 : (prompts.count + every - 1) / every)
        var done = 0
        var counts: [Int32: Int] = [:]
        let recorder = SequenceRecorder(model: model, exitLayer: exitLayer)
        for (index, prompt) in prompts.enumerated() {
            if let deadline, Date() > deadline { break }
            let passes = [SamplingParameters()] + (index % every == 0 ? sampled.map { [$0] } ?? [] : [])
            let ids = model.tokenizer.encode(model.template.render([ChatMessage(role: "user", content: prompt.text)],
                                                                   addGenerationPrompt: true), parseSpecial: true)
            for sampling in passes {
                var s = sampling
                s.seed = UInt64(index)
                let knobs = DecoderKnobs(DecoderSettings(mode: .autoregressive, exitLayer: 1, depth: 1, maxExitLayer: 1, sampling: s))
                let reply: [Int32]
                do {
                    reply = try session.generate(prompt: ids, maxTokens: maxReplyTokens, knobs: knobs) { _ in }
                } catch {
                    throw .corpus(prompt.style, "prompt \(index + 1): \(error)")
                }
                guard !reply.isEmpty, ids.count + reply.count <= session.contextLimit else { continue }
                for t in reply { counts[t, default: 0] += 1 }
                let sequence = ids + reply
                recorder.record(sequence, trained: sequence.indices.map { $0 >= ids.count - 1 && $0 < sequence.count - 1 }, style: data.styles.firstIndex(of: prompt.style) ?? 0, into: &data)
                data.sequencePrompts.append(index)
                data.replyTokens += reply.count
                done += 1
                progress(done, total)
            }
        }
        data.draftVocabulary = counts.isEmpty ? [] : vocabulary(counts, size: draftVocabulary, model: model)
        return data
    }

    /// Teacher-forced documents (e.g. `CalibrationCorpus.sequences`): each sequence is run as it
    /// is and its scored positions are trained; much cheaper per position than generating, but
    /// the text is not the model's own. Appended to `data` with style `style`; the draft
    /// vocabulary is recounted over the trained positions' next tokens of the appended sequences
    /// when `data` has none yet.
    public static func appendTexts(model: LanguageModel, sequences: [CalibrationSequence], style: String, draftVocabulary: Int,
                                   into data: inout DraftTrainingData, progress: (Int, Int) -> Void = { _, _ in }) {
        if !data.styles.contains(style) { data.styles.append(style) }
        let recorder = SequenceRecorder(model: model, exitLayer: data.exitLayer)
        var counts: [Int32: Int] = [:]
        for (i, sequence) in sequences.enumerated() where sequence.tokens.count >= 2 {
            var trained = [Bool](repeating: false, count: sequence.tokens.count)
            for range in sequence.scored {
                for t in range where t + 1 < sequence.tokens.count {
                    trained[t] = true
                    counts[sequence.tokens[t + 1], default: 0] += 1
                }
            }
            recorder.record(sequence.tokens, trained: trained, style: data.styles.firstIndex(of: style) ?? 0, into: &data)
            data.sequencePrompts.append(textPromptBase + i)
            progress(i + 1, sequences.count)
        }
        if data.draftVocabulary.isEmpty { data.draftVocabulary = vocabulary(counts, size: draftVocabulary, model: model) }
    }

    /// Prompt ids of teacher-forced sequences start here (each is its own group in a held-out split).
    static let textPromptBase = 1_000_000

    /// The `size` most frequent tokens of `counts` plus the end-of-turn ids.
    private static func vocabulary(_ counts: [Int32: Int], size draftVocabulary: Int, model: LanguageModel) -> [Int32] {
        let ranked = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        let endOfTurn = model.tokenizer.endOfTurnIDs.sorted().filter { Int($0) < model.weights.lmHead.rows }
        var chosen = Array(ranked.prefix(max(0, draftVocabulary - endOfTurn.count)))
        for id in endOfTurn where !chosen.contains(id) { chosen.append(id) }
        return chosen
    }
}

/// Runs whole sequences through the model in batches, keeping layer E's states and the final
/// normed states.
private final class SequenceRecorder {
    let model: LanguageModel
    let exitLayer: Int
    let batch = 64
    let rows: UnsafeMutablePointer<Float>
    let normed: UnsafeMutablePointer<Float>
    let logits: UnsafeMutablePointer<Float>
    let forward: ForwardPass

    init(model: LanguageModel, exitLayer: Int) {
        self.model = model
        self.exitLayer = exitLayer
        let d = model.config.hiddenSize
        rows = .allocate(capacity: batch * d)
        normed = .allocate(capacity: batch * d)
        logits = .allocate(capacity: batch * model.weights.lmHead.rows)
        forward = ForwardPass(model: model.llama, maxBatch: batch)
    }

    deinit {
        rows.deallocate()
        normed.deallocate()
        logits.deallocate()
    }

    /// Appends `sequence` to `data`, `trained` marking the positions to train on.
    func record(_ sequence: [Int32], trained: [Bool], style: Int, into data: inout DraftTrainingData) {
        let d = model.config.hiddenSize
        forward.truncate(to: 0)
        var start = 0
        while start < sequence.count {
            let n = min(batch, sequence.count - start)
            forward.embed(sequence[start..<start + n], into: rows)
            forward.runLayers(0..<exitLayer, hidden: rows, count: n, startPosition: start)
            data.states.append(contentsOf: UnsafeBufferPointer(start: rows, count: n * d))
            forward.runLayers(exitLayer..<model.config.layerCount, hidden: rows, count: n, startPosition: start)
            forward.finalNorm(hidden: rows, count: n, into: normed)
            data.teacher.append(contentsOf: UnsafeBufferPointer(start: normed, count: n * d))
            forward.logits(hidden: rows, count: n, into: logits)
            let vocab = model.weights.lmHead.rows
            data.teacherArgmax += (0..<n).map { LogitsProcessor.argmax(logits + $0 * vocab, count: vocab) }
            start += n
        }
        data.tokens += sequence
        data.trained += trained
        data.positions += sequence.count
        data.sequenceStarts.append(data.positions)
        data.sequenceStyles.append(style)
    }
}
