import ArgumentParser
import Foundation
import SkipChatCalibration
import SkipChatEngine

/// `skipchat calibrate`: fits exit adapters and a reduced draft head for a model and writes its sidecar.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit exit adapters (per-layer ridge maps) and a reduced draft head on a corpus; write the model's sidecar.",
        discussion: """
        The sidecar goes beside the model (<model>.exit-adapters.safetensors), or into \
        $XDG_CACHE_HOME/skipchat/adapters/ when the model's directory is read-only. Every later \
        run loads it automatically; --no-adapters turns it off. Drafts only: output stays exact.
        """
    )

    @Option(name: .long, help: "GGUF file, Hugging Face checkpoint directory or hf:ORG/NAME[:QUANT] (default: the built-in SmolLM2-135M-Instruct).")
    var model: String?

    @Option(name: .long, help: "Kernel threads (default: the machine's cores).")
    var threads: Int?

    @OptionGroup var kernels: KernelOptions

    @Option(name: .long, help: "Calibration text: JSONL ({\"messages\": […]} or {\"text\": …}) or plain text (default: chitchat corpus from scripts/fetch-corpus.sh).")
    var corpus: String?

    @Option(name: .long, help: "Exit layers to fit, comma-separated (default: L/8, 2L/8 … 6L/8); 'none' fits no adapters (only the --draft-vocab head, for any model).")
    var layers: String?

    @Option(name: .long, help: "Training tokens.")
    var tokens = 16_384

    @Option(name: .long, help: "Held-out tokens (half choose the ridge penalty, half are reported).")
    var heldoutTokens = 4_096

    @Option(name: .long, help: "Draft head size: the N most frequent corpus tokens (0 = draft over the full vocabulary).")
    var draftVocab = 4_096

    @Flag(name: .long, help: "Fit on the model's own greedy replies to the corpus's prompts instead of the corpus's replies (better acceptance on what the model generates; costs generating about --tokens + --heldout-tokens tokens first).")
    var selfDistill = false

    @Option(name: .long, help: "Sidecar path (default: beside the model, or the cache when that is read-only).")
    var output: String?

    @Flag(name: .long, help: "Print per-layer held-out agreement with the last layer, with and without adapters.")
    var report = false

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Option(name: .long, help: "Instead of fitting adapters, write draft-block training data to this file (safetensors): the model answers --prompts itself; for scripts/train-draft-block/train.py.")
    var collect: String?

    @Option(name: .long, parsing: .upToNextOption, help: "With --collect: prompt files as STYLE=FILE (one prompt a line, the format of `bench sweep --prompts`).")
    var prompts: [String] = []

    @Option(name: .long, parsing: .upToNextOption, help: "With --collect: teacher-forced corpus files as STYLE=FILE (the --corpus formats; its held-out documents are skipped): cheap extra positions, not the model's own text.")
    var texts: [String] = []

    @Option(name: .long, help: "With --collect --texts: trained positions to take from each texts file.")
    var textTokens = 50_000

    @Option(name: .long, help: "With --collect: the draft block's exit layer (default: L/3).")
    var exitLayer: Int?

    @Option(name: .long, help: "With --collect: longest reply generated per prompt, in tokens.")
    var replyTokens = 160

    @Option(name: .long, help: "With --collect: also answer every prompt once by sampling at this temperature (0 = greedy replies only).")
    var sampledTemperature: Float = 0.8

    @Option(name: .long, help: "With --collect: answer every N-th prompt once more by sampling.")
    var sampledEvery = 1

    @Option(name: .long, help: "With --collect: stop generating after this many minutes and write what was collected (0 = no limit).")
    var maxMinutes: Double = 0

    @Option(name: .long, help: "With --collect: MLP width of the block to train.")
    var blockFfn = 768

    func validate() throws {
        guard (64...10_000_000).contains(tokens) else { throw ValidationError("--tokens must be between 64 and 10000000") }
        guard (4...1_000_000).contains(heldoutTokens) else { throw ValidationError("--heldout-tokens must be between 4 and 1000000") }
        guard draftVocab >= 0 else { throw ValidationError("--draft-vocab must be 0 or more") }
        if let t = threads, !(1...256).contains(t) { throw ValidationError("--threads must be between 1 and 256") }
        if let layers, parsedLayers(layers) == nil { throw ValidationError("--layers must be comma-separated layer numbers, e.g. 8,12,16, or 'none'") }
        if layers == "none" && draftVocab == 0 && collect == nil {
            throw ValidationError("--layers none with --draft-vocab 0 leaves nothing to fit")
        }
        if collect != nil {
            guard !prompts.isEmpty || !texts.isEmpty else { throw ValidationError("--collect needs --prompts or --texts STYLE=FILE …") }
            guard (prompts + texts).allSatisfy({ $0.split(separator: "=", maxSplits: 1).count == 2 }) else {
                throw ValidationError("--prompts and --texts take STYLE=FILE, e.g. code=prompts/code-train.txt")
            }
            guard textTokens >= 1 else { throw ValidationError("--text-tokens must be 1 or more") }
            guard sampledEvery >= 1, maxMinutes >= 0 else { throw ValidationError("--sampled-every must be 1 or more and --max-minutes 0 or more") }
            guard (1...4096).contains(replyTokens) else { throw ValidationError("--reply-tokens must be between 1 and 4096") }
            guard (0...4).contains(sampledTemperature) else { throw ValidationError("--sampled-temperature must be between 0 and 4") }
            guard (2...65536).contains(blockFfn), blockFfn % 2 == 0 else { throw ValidationError("--block-ffn must be an even number from 2 to 65536") }
        }
    }

    func run() throws {
        if let collect {
            return try runCollect(output: collect)
        }
        let corpusPath = corpus ?? CalibrationCorpus.defaultPath
        if corpus == nil && !FileManager.default.fileExists(atPath: corpusPath) {
            try failing { throw CalibrationError.corpus(corpusPath, "not found; run scripts/fetch-corpus.sh or pass --corpus FILE") }
        }
        let text = try failing { try CalibrationCorpus(path: corpusPath) }
        let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
        try kernels.apply()
        let resolvedModel = try HubModelArgument.resolve(model)
        let loaded = try failing {
            let model = try LanguageModel.load(path: resolvedModel, threads: count, adapters: false, draftHead: .full)
            if text.documents.contains(where: { if case .conversation = $0 { true } else { false } }) { _ = try model.chatTemplate() }
            return model
        }
        let layerCount = loaded.config.layerCount
        guard draftVocab <= loaded.weights.lmHead.rows else {
            throw ValidationError("--draft-vocab must be at most the vocabulary size (\(loaded.weights.lmHead.rows))")
        }
        let chosen = layers.flatMap(parsedLayers) ?? CalibrationOptions.defaultLayers(layerCount: layerCount)
        let options = CalibrationOptions(layers: chosen, trainTokens: tokens, heldoutTokens: heldoutTokens, draftVocabulary: draftVocab)
        let log = { (line: String) in FileHandle.standardError.write(Data("calibrate: \(line)\n".utf8)) }
        var fitted = text
        if selfDistill {
            let started = Date()
            fitted = try failing {
                try text.selfDistilled(model: loaded, trainTokens: tokens, heldoutTokens: heldoutTokens) { done, total in
                    log("self-distilling: \(done)/\(total) reply tokens")
                }
            }
            log(String(format: "self-distilled in %.0f s", Date().timeIntervalSince(started)))
        }
        let (sidecar, measured) = try failing { try Calibrator.run(model: loaded, corpus: fitted, options: options, progress: log) }
        let path = try output ?? failing { try DraftSidecar.outputPath(for: loaded.file) }
        try failing { try sidecar.write(to: path) }
        FileHandle.standardError.write(Data(String(format: "calibrate: wrote %@ (%.0f s)\n", path, measured.seconds).utf8))
        if json { printJSON(measured) } else if report { printTable(measured) }
    }

    private func parsedLayers(_ list: String) -> [Int]? {
        if list == "none" { return [] }
        let values = list.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else { return nil }
        return values.compactMap { $0 }
    }

    private func printTable(_ r: CalibrationReport) {
        writeShown("model: \(r.model); corpus: \(r.corpus); fitted on \(r.trainTokens) tokens, λ chosen on \(r.selectionTokens), reported on \(r.reportTokens)\n")
        if let coverage = r.draftVocabularyCoverage {
            writeOut(String(format: "draft head: %d tokens, covering %.1f%% of the final layer's held-out argmax\n",
                            r.draftVocabulary, coverage * 100))
        }
        writeOut("exit layer     raw   adapted   adapted+draft head   λ (× Gram scale)\n")
        for l in r.layers {
            let head = l.adaptedDraftHead.map { String(format: "%.3f", $0) } ?? "-"
            writeOut(String(format: "%10d   %5.3f     %5.3f", l.layer, l.raw, l.adapted)
                + String(repeating: " ", count: max(1, 21 - head.count)) + head
                + String(format: "   %g\n", l.relativeLambda))
        }
    }
}
