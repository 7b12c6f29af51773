import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine

/// `skipchat bench acceptance`: the speedup a model with a given draft acceptance would reach.
struct AcceptanceBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acceptance",
        abstract: "Force a draft acceptance rate and measure the speedup over plain decoding in the same run."
    )

    @OptionGroup var options: BenchReportOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Acceptance probabilities per draft (0…1).")
    var acceptance: [Double] = [0.5, 0.65, 0.8]

    @Option(name: .long, help: "Exit layer (default: L/4).")
    var exitLayer: Int?

    @Option(name: .long, parsing: .upToNextOption, help: "Depths.")
    var depths: [Int] = [2, 4, 6]

    @Option(name: .long, help: "Tokens per built-in prompt for the draft-head acceptance (real models only).")
    var maxTokens = 48

    func validate() throws {
        guard (1...4096).contains(maxTokens) else { throw ValidationError("--max-tokens must be between 1 and 4096") }
        guard acceptance.allSatisfy({ (0...1).contains($0) }) else { throw ValidationError("--acceptance must be between 0 and 1") }
        guard depths.allSatisfy({ (1...DecoderSettings.maxDepth).contains($0) }) else {
            throw ValidationError("--depths must be between 1 and \(DecoderSettings.maxDepth)")
        }
    }

    func run() throws {
        let request = try options.bench.modelOptions.draftHeadRequest() ?? .auto
        // Checked before the (large) random weights are made.
        let syntheticHead = try options.bench.synthetic.map { try DraftHeadPick.synthetic(request, vocabularySize: $0.architecture.config.vocabSize) }
        let (loaded, label) = try options.bench.load()
        let model = loaded.llama
        let layers = model.config.layerCount
        let e = exitLayer ?? max(1, layers / 4)
        guard e >= 1 && e < layers else { throw ValidationError("--exit-layer must be between 1 and \(layers - 1)") }
        let head = syntheticHead ?? DraftHeadPick.model(loaded)
        let draftHead = head.head ?? head.firstRowsHead(of: model)
        var results: [ForcedAcceptanceResult] = []
        withExtendedLifetime(loaded) {
            for p in acceptance {
                for k in depths {
                    results.append(ForcedAcceptanceBenchmark.run(model: model, acceptance: p, exitLayer: e, depth: k,
                                                                 draftHead: draftHead))
                }
            }
        }
        // Forced acceptance says nothing about how well a reduced head drafts: on a real model,
        // measure its greedy acceptance against the full head's on the built-in prompts.
        let heads: [DraftHeadAcceptanceResult] = options.bench.synthetic != nil ? [] : try failing {
            _ = try loaded.chatTemplate()
            return try DraftHeadAcceptance.run(model: loaded, prompts: SpeculationSweep.defaultPrompts, exitLayer: e,
                                        depths: Array(Set([1] + depths)).sorted(), maxTokens: maxTokens)
        }
        if options.printedJSON(AcceptanceReport(forced: results, draftHead: heads)) { return }
        writeOut("\(KernelSelection.summary)\n")
        writeShown("model: \(label), exit layer \(e) of \(layers), draft head \(results.first?.draftVocabulary ?? 0) rows (\(head.source))\n")
        writeOut("acceptance  depth   tok/s   plain tok/s   speedup\n")
        for r in results {
            writeOut(String(format: "%9.2f   %5d  %6.1f   %11.1f   %6.2fx\n", r.acceptance, r.depth, r.tokensPerSecond,
                            r.autoregressiveTokensPerSecond, r.speedup))
        }
        guard let first = heads.first else { return }
        writeOut("draft acceptance on the \(SpeculationSweep.defaultPrompts.count) built-in prompts (greedy, E=\(e), up to \(maxTokens) tokens each): "
            + "\(first.draftHeadRows)-row draft head vs the full \(model.weights.lmHead.rows)-row head\n")
        writeOut("depth   reduced head   full head\n")
        for r in heads {
            writeOut(String(format: "%5d   %11.1f%%   %8.1f%%\n", r.depth, r.reducedAcceptance * 100, r.fullAcceptance * 100))
        }
    }
}

/// `bench acceptance --format json`.
private struct AcceptanceReport: Encodable {
    var forced: [ForcedAcceptanceResult]
    var draftHead: [DraftHeadAcceptanceResult]
}

/// The draft head of `bench acceptance`: a loaded model's own, or for a synthetic shape (no
/// tokenizer, random weights) its first N rows with N from the request — auto = the N the auto
/// rule gives the Llama 3 tokenizer (`DraftHeadSelection.llama3Rows`).
private struct DraftHeadPick {
    var head: DraftHead?
    /// Rows of a first-N-ids head (0 = none).
    var firstRows: Int
    var source: String

    /// The head of the first `firstRows` ids of `model`'s LM head (nil: none, or not fewer rows than it has).
    func firstRowsHead(of model: LlamaModel) -> DraftHead? {
        guard firstRows > 0 && firstRows < model.weights.lmHead.rows else { return nil }
        return DraftHead(head: model.weights.lmHead, ids: (0..<Int32(firstRows)).map { $0 })
    }

    static func model(_ model: LanguageModel) -> DraftHeadPick {
        DraftHeadPick(head: model.draftHead, firstRows: 0, source: model.draftHeadInfo.source.rawValue)
    }

    static func synthetic(_ request: DraftHeadRequest, vocabularySize: Int) throws -> DraftHeadPick {
        switch request {
        case .full: return DraftHeadPick(head: nil, firstRows: 0, source: "full")
        case .auto: return DraftHeadPick(head: nil, firstRows: DraftHeadSelection.llama3Rows,
                                         source: "auto: the first \(DraftHeadSelection.llama3Rows) ids, the auto rule's N for Llama 3's tokenizer")
        case .rows(let n):
            guard n <= vocabularySize else {
                return try failing { throw DraftHeadError(rows: n, vocabularySize: vocabularySize) }
            }
            return DraftHeadPick(head: nil, firstRows: n, source: "the first \(n) ids")
        }
    }
}
