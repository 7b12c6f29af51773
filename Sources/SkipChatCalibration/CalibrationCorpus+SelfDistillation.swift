import Foundation
import SkipChatEngine

extension CalibrationCorpus {
    /// The corpus with the first assistant reply of each conversation it will use replaced by the
    /// model's own greedy reply (the messages before it kept as the prompt, later turns dropped):
    /// self-distillation, the data Medusa (Cai et al. 2024, §3.3) and EAGLE train their draft
    /// heads on. Drafts must agree with what the model itself generates, and a human reply is
    /// a different text: fitted on chitchat replies, the default model's layer-15 adapter agreed
    /// 0.39 on held-out chitchat but accepted ~6–12% of drafts on the model's own answers.
    ///
    /// Documents are chosen by `walk`, the rule of `sequences(for:trainTokens:heldoutTokens:)`,
    /// so that call on the result (same budgets) uses exactly the distilled documents;
    /// plain-text documents are kept as they are. Generation is plain
    /// greedy decoding (exact, the final layer's argmax at every position).
    ///
    /// - Parameters:
    ///   - maxReplyTokens: longest generated reply, in tokens.
    ///   - progress: called after each document used with the scored tokens so far and the total
    ///     budget (trainTokens + heldoutTokens).
    /// - Throws: `CalibrationError.corpus` if a prompt cannot be generated from (empty, or
    ///   longer than the model's context).
    public func selfDistilled(model: LanguageModel, trainTokens: Int, heldoutTokens: Int, maxReplyTokens: Int = 256,
                              progress: (Int, Int) -> Void = { _, _ in }) throws(CalibrationError) -> CalibrationCorpus {
        let session = GenerationSession(model: model)
        let knobs = DecoderKnobs(DecoderSettings(mode: .autoregressive, exitLayer: 1, depth: 1, maxExitLayer: 1))
        let endOfTurn = model.tokenizer.endOfTurnIDs
        var out = documents
        let end = try walk(model: model, trainTokens: trainTokens, heldoutTokens: heldoutTokens, maxLength: Self.defaultSequenceLength,
                           take: { (i, document) throws(CalibrationError) -> Document in
            guard case let .conversation(messages) = document,
                  let first = messages.firstIndex(where: { $0.role == "assistant" }), first > 0 else { return document }
            let prompt = Array(messages[..<first])
            let ids = model.promptTokens(prompt)
            let reply: [Int32]
            do {
                reply = try session.generate(prompt: ids, maxTokens: maxReplyTokens, knobs: knobs) { _ in }
            } catch {
                throw .corpus(source, "document \(i + 1): \(error)")
            }
            let bytes = (try? model.tokenizer.decode(reply.filter { !endOfTurn.contains($0) })) ?? []
            out[i] = .conversation(prompt + [ChatMessage(role: "assistant", content: String(decoding: bytes, as: UTF8.self))])
            return out[i]
        }) { _, _, counts in
            progress(min(counts.train, trainTokens) + min(counts.heldout, heldoutTokens), trainTokens + heldoutTokens)
        }
        return CalibrationCorpus(source: source + " (self-distilled)", documents: Array(out.prefix(end)))
    }
}
