import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine

/// `skipchat bench sweep`: exit layer × depth and dynamic thresholds against plain decoding.
struct SweepBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Sweep exit layer × depth and dynamic thresholds on chat prompts (greedy); speedup over plain decoding in the same run."
    )

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Exit layers to try (default: L/8, L/4, 3L/8, L/2, 5L/8, 3L/4).")
    var exitLayers: [Int] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Depths to try.")
    var depths: [Int] = [1, 2, 4, 6, 8]

    @Option(name: .long, parsing: .upToNextOption, help: "Dynamic-exit thresholds to try.")
    var thresholds: [Float] = [0.5, 0.8]

    @Option(name: .long, help: "Tokens per prompt.")
    var maxTokens = 48

    @Option(name: .long, help: "A file with one prompt per line (default: built-in chat prompts).")
    var prompts: String?

    @Option(name: .long, help: "Output: table, json or csv.")
    var format: TableFormat = .table

    @OptionGroup var plotOptions: PlotOptions

    func validate() throws {
        guard depths.allSatisfy({ (1...DecoderSettings.maxDepth).contains($0) }) else {
            throw ValidationError("--depths must be between 1 and \(DecoderSettings.maxDepth)")
        }
        guard thresholds.allSatisfy({ (0...1).contains($0) }) else { throw ValidationError("--thresholds must be between 0 and 1") }
        guard (1...4096).contains(maxTokens) else { throw ValidationError("--max-tokens must be between 1 and 4096") }
    }

    func run() throws {
        let model = try modelOptions.load()
        try failing { _ = try model.chatTemplate() }
        let layers = model.config.layerCount
        let exits = exitLayers.isEmpty ? Set([1, 2, 3, 4, 5, 6].map { max(1, layers * $0 / 8) }).sorted() : exitLayers
        guard exits.allSatisfy({ $0 >= 1 && $0 < layers }) else {
            throw ValidationError("--exit-layers must be between 1 and \(layers - 1)")
        }
        let texts = try prompts.map(readPromptFile) ?? SpeculationSweep.defaultPrompts
        let base = model.defaultSettings()
        var grid: [DecoderSettings] = []
        for e in exits {
            for k in depths {
                var s = base
                s.mode = .fixed; s.exitLayer = e; s.depth = k
                grid.append(s)
            }
        }
        for t in thresholds {
            var s = base
            s.mode = .dynamic; s.dynamicThreshold = t; s.depth = 4
            grid.append(s)
        }
        var auto = base
        auto.mode = .auto
        grid.append(auto)

        let results = try failing {
            try SpeculationSweep.run(model: model, prompts: texts, settings: grid, maxTokens: maxTokens) { label in
                FileHandle.standardError.write(Data("bench: \(label)\n".utf8))
            }
        }
        try plotOptions.write { BenchPlots.sweep(results, model: model.file.displayName) }
        switch format {
        case .json: printJSON(results)
        case .csv:
            writeOut("setting,acceptance_rate,tokens_per_second,speedup,predicted_speedup,mean_exit_layer,matches_autoregressive\n")
            for r in results {
                writeOut("\(r.setting),\(r.acceptanceRate),\(r.tokensPerSecond),\(r.speedup),\(r.predictedSpeedup.map { "\($0)" } ?? ""),"
                    + "\(r.meanExitLayer),\(r.matchesAutoregressive)\n")
            }
        case .table:
            writeOut("\(KernelSelection.summary)\n")
            writeShown("model: \(model.file.displayName), \(texts.count) prompts, up to \(maxTokens) tokens each "
                + "(\(results.first?.committedTokens ?? 0) committed per setting), greedy, \(model.llama.pool.threads) threads\n")
            writeShown("draft head: \(model.draftHeadInfo.summary)\n")
            writeOut("setting                 acceptance   tok/s   speedup  predicted   mean exit   exact\n")
            for r in results {
                writeOut(r.setting.padding(toLength: 22, withPad: " ", startingAt: 0)
                    + String(format: "  %9.1f%%  %6.1f   %6.2fx  ", r.acceptanceRate * 100, r.tokensPerSecond, r.speedup)
                    + (r.predictedSpeedup.map { String(format: "%8.2fx", $0) } ?? "        –")
                    + String(format: "   %9.1f   ", r.meanExitLayer)
                    + (r.matchesAutoregressive ? "yes" : "NO") + "\n")
            }
            if let best = results.dropFirst().max(by: { $0.speedup < $1.speedup }) {
                writeOut(best.speedup > 1
                    ? String(format: "best: %@ at %.2fx plain decoding\n", best.setting as NSString, best.speedup)
                    : String(format: "best: autoregressive (the best speculative setting, %@, ran at %.2fx)\n",
                             best.setting as NSString, best.speedup))
            }
        }
    }
}
