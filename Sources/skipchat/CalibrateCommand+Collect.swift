import ArgumentParser
import Foundation
import SkipChatCalibration
import SkipChatEngine

extension CalibrateCommand {
    /// `calibrate --collect OUT`: self-distilled draft-block training data (`DraftBlockCollector`).
    func runCollect(output: String) throws {
        // The styles interleaved, so that a --max-minutes cut keeps them balanced.
        let files = try prompts.map { spec -> [StyledPrompt] in
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            return try readPromptFile(parts[1]).map { StyledPrompt(style: parts[0], text: $0) }
        }
        let styled = (0..<(files.map(\.count).max() ?? 0)).flatMap { i in files.compactMap { i < $0.count ? $0[i] : nil } }
        let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let resolvedModel = try HubModelArgument.resolve(model)
        let loaded = try failing {
            let model = try LanguageModel.load(path: resolvedModel, threads: count, adapters: false, draftHead: .full)
            _ = try model.chatTemplate()
            return model
        }
        let layerCount = loaded.config.layerCount
        let exit = exitLayer ?? max(1, layerCount / 3)
        guard draftVocab >= 1 && draftVocab <= loaded.weights.lmHead.rows else {
            throw ValidationError("--draft-vocab must be between 1 and the vocabulary size (\(loaded.weights.lmHead.rows)) with --collect")
        }
        let log = { (line: String) in FileHandle.standardError.write(Data("calibrate: \(line)\n".utf8)) }
        let started = Date()
        let sampled = sampledTemperature > 0 ? sampledTemperature : nil
        var data = try failing {
            try DraftBlockCollector.collect(model: loaded, prompts: styled, exitLayer: exit, maxReplyTokens: replyTokens,
                                            sampledTemperature: sampled, sampledEvery: sampledEvery, draftVocabulary: draftVocab,
                                            deadline: maxMinutes > 0 ? started.addingTimeInterval(maxMinutes * 60) : nil) { done, total in
                if done % 10 == 0 || done == total {
                    log(String(format: "collecting: %d/%d replies (%.0f s)", done, total, Date().timeIntervalSince(started)))
                }
            }
        }
        for spec in texts {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let corpus = try failing { try CalibrationCorpus(path: parts[1]) }
            let sequences = corpus.sequences(for: loaded, trainTokens: textTokens, heldoutTokens: 0).train
            DraftBlockCollector.appendTexts(model: loaded, sequences: sequences, style: parts[0], draftVocabulary: draftVocab,
                                            into: &data) { done, total in
                if done % 200 == 0 || done == total { log("teacher-forced \(parts[0]): \(done)/\(total) documents") }
            }
        }
        let replies = "greedy" + (sampled.map { String(format: " + sampled at T=%g, top-p 0.95 (every %d)", $0, sampledEvery) } ?? "")
            + ", up to \(replyTokens) tokens" + (texts.isEmpty ? "" : "; teacher-forced texts: "
                + texts.map { String($0.split(separator: "=")[0]) }.joined(separator: ", "))
        try failing { try data.write(to: output, model: loaded, ffnSize: blockFfn, replies: replies) }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        log(String(format: "wrote %@: %d sequences, %d positions (%d reply tokens) at exit layer %d; %.0f s, peak memory %.0f MiB",
                   output, data.sequenceCount, data.positions, data.replyTokens, exit, Date().timeIntervalSince(started),
                   Double(usage.ru_maxrss) / 1024))
    }
}
