import ArgumentParser
import Foundation
import SkipChatEngine

/// `skipchat bench acceptance`: the speedup a model with a given draft acceptance would reach.
struct AcceptanceBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acceptance",
        abstract: "Force a draft acceptance rate and measure the speedup over plain decoding in the same run."
    )

    @OptionGroup var bench: BenchModelOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Acceptance probabilities per draft (0…1).")
    var acceptance: [Double] = [0.5, 0.65, 0.8]

    @Option(name: .long, help: "Exit layer (default: L/4).")
    var exitLayer: Int?

    @Option(name: .long, parsing: .upToNextOption, help: "Depths.")
    var depths: [Int] = [2, 4, 6]

    @Option(name: .long, help: "Draft head rows: drafts read a reduced-vocabulary head of this many rows, as `calibrate --draft-vocab` makes (0 = the full head).")
    var draftVocab = 4096

    @Option(name: .long, help: "Output: table or json.")
    var format: TableFormat = .table

    func validate() throws {
        guard draftVocab >= 0 else { throw ValidationError("--draft-vocab must be 0 or more") }
        guard acceptance.allSatisfy({ (0...1).contains($0) }) else { throw ValidationError("--acceptance must be between 0 and 1") }
        guard depths.allSatisfy({ (1...DecoderSettings.maxDepth).contains($0) }) else {
            throw ValidationError("--depths must be between 1 and \(DecoderSettings.maxDepth)")
        }
    }

    func run() throws {
        let (loaded, label) = try bench.load()
        let model = loaded.llama
        let layers = model.config.layerCount
        let e = exitLayer ?? max(1, layers / 4)
        guard e >= 1 && e < layers else { throw ValidationError("--exit-layer must be between 1 and \(layers - 1)") }
        var results: [ForcedAcceptanceResult] = []
        withExtendedLifetime(loaded) {
            for p in acceptance {
                for k in depths {
                    results.append(ForcedAcceptanceBenchmark.run(model: model, acceptance: p, exitLayer: e, depth: k,
                                                                 draftVocabulary: draftVocab))
                }
            }
        }
        if format == .json { return printJSON(results) }
        writeOut("\(KernelSelection.summary)\n")
        writeOut("model: \(label), exit layer \(e) of \(layers), draft head \(results.first?.draftVocabulary ?? 0) rows\n")
        writeOut("acceptance  depth   tok/s   plain tok/s   speedup\n")
        for r in results {
            writeOut(String(format: "%9.2f   %5d  %6.1f   %11.1f   %6.2fx\n", r.acceptance, r.depth, r.tokensPerSecond,
                            r.autoregressiveTokensPerSecond, r.speedup))
        }
    }
}
