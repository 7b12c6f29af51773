import CKernels
import Foundation
import SkipChatEngine

extension DraftTrainingData {
    /// Format tag of the file (`__metadata__` "format").
    static let format = "skipchat.draft-block-data"

    /// Writes the data with what the trainer needs of `model` (see `DraftTrainingData`) to `path`.
    /// - Parameters:
    ///   - ffnSize: MLP width of the block to train (recorded for the trainer).
    ///   - replies: how the replies were made (recorded).
    /// - Throws: Foundation's error when the file cannot be written.
    public func write(to path: String, model: LanguageModel, ffnSize: Int, replies: String) throws {
        let c = model.config
        let d = c.hiddenSize
        let layer = model.weights.layers[exitLayer]
        var tensors: [SafetensorsTensor] = [
            .raw("states", shape: [positions, d], states),
            .bf16("teacher", shape: [positions, d], teacher),
            .raw("teacher_argmax", shape: [positions], teacherArgmax.map { Float($0) }),
            .raw("tokens", shape: [positions], tokens.map { Float($0) }),
            .raw("trained", shape: [positions], trained.map { $0 ? 1 : 0 }),
            .raw("sequence_starts", shape: [sequenceStarts.count], sequenceStarts.map { Float($0) }),
            .raw("sequence_styles", shape: [sequenceStyles.count], sequenceStyles.map { Float($0) }),
            .raw("sequence_prompts", shape: [sequencePrompts.count], sequencePrompts.map { Float($0) }),
            .raw("draft_vocab", shape: [draftVocabulary.count], draftVocabulary.map { Float($0) }),
            .raw("head", shape: [draftVocabulary.count, d], Self.rows(of: model.weights.lmHead, draftVocabulary)),
            .raw("final_norm", shape: [d], Self.values(model.weights.finalNorm)),
            .raw("rope_inverse_frequencies", shape: [c.headDim / 2], model.llama.inverseFrequencies),
        ]
        let named: [(String, WeightTensor)] = [
            ("attn_norm", layer.attentionNorm), ("attn_q", layer.query), ("attn_k", layer.key), ("attn_v", layer.value),
            ("attn_output", layer.output), ("ffn_norm", layer.ffnNorm), ("ffn_gate", layer.gate), ("ffn_up", layer.up),
            ("ffn_down", layer.down),
        ]
        for (name, w) in named {
            tensors.append(.raw("layer.\(name)", shape: w.rows == 1 ? [w.cols] : [w.rows, w.cols], Self.values(w)))
        }
        let identity = DraftSidecarFile.Settings.identity(of: model.file)
        let metadata = [
            "format": Self.format, "version": "1",
            "model_name": identity.name, "model_file_size": String(identity.size), "hidden_size": String(d),
            "layer_count": String(identity.layers), "vocab_size": String(identity.vocab),
            "exit_layer": String(exitLayer), "heads": String(c.headCount), "kv_heads": String(c.kvHeadCount),
            "head_dim": String(c.headDim), "ffn": String(ffnSize), "rms_norm_eps": String(c.rmsNormEps),
            "rope_style": c.ropeStyle == .adjacentPairs ? "adjacent" : "half", "styles": styles.joined(separator: ","),
            "replies": replies, "reply_tokens": String(replyTokens),
        ]
        try SafetensorsWriter.encode(tensors, metadata: metadata).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Every value of `w`, dequantised, row-major.
    static func values(_ w: WeightTensor) -> [Float] {
        rows(of: w, (0..<Int32(w.rows)).map { $0 })
    }

    /// Rows `ids` of `w`, dequantised, [ids.count × cols].
    static func rows(of w: WeightTensor, _ ids: [Int32]) -> [Float] {
        w.dequantizedRows(ids.map { Int($0) })
    }
}
