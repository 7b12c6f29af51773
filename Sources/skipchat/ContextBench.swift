import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine

/// `skipchat bench context`: prefill and decode tokens/s, verification cost, KV bytes and
/// resident memory at growing context lengths.
struct ContextBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Speed and memory at long contexts: prefill, decode, verify depth 2 and 4, KV bytes, RSS per length."
    )

    @OptionGroup var options: BenchReportOptions
    @OptionGroup var plotOptions: PlotOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Context lengths, increasing.")
    var lengths: [Int] = [64, 1024, 4096, 8000]

    @Option(name: .long, help: "Timings of each decode or verify figure; the median is kept.")
    var steps = 9

    @Option(name: .long, help: "Positions per prefill batch.")
    var prefillChunk = 64

    func validate() throws {
        guard !lengths.isEmpty, lengths.allSatisfy({ $0 >= 1 }), zip(lengths, lengths.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ValidationError("--lengths must be increasing positive numbers")
        }
        guard (1...101).contains(steps) else { throw ValidationError("--steps must be between 1 and 101") }
        guard (1...512).contains(prefillChunk) else { throw ValidationError("--prefill-chunk must be between 1 and 512") }
    }

    func run() throws {
        let (model, label) = try options.bench.load()
        let config = model.llama.config, longest = lengths.last!
        let kvBytes = KVCache.bytes(positions: longest + 5, layers: config.layerCount, rowWidth: config.blockShape.kvWidth,
                                    type: .active)
        if longest + 5 > config.contextLength {
            try failing {
                throw ValidationError("--lengths \(longest) needs \(longest + 5) positions (\(kvBytes) bytes of KV cache); "
                                      + "the model's context is \(config.contextLength)")
            }
        }
        let report = ContextBenchmark.run(model: model.llama, lengths: lengths, steps: steps, prefillChunk: prefillChunk)
        try plotOptions.write { BenchPlots.context(report, model: label) }
        if options.printedJSON(report) { return }
        writeShown("model: \(label)\n")
        writeOut("\(KernelSelection.summary), KV cache \(report.kvType), \(report.threads) threads, prefill chunks of \(report.prefillChunk)\n")
        writeOut("length  prefill tok/s  decode tok/s  vs first  verify K=2  verify K=4  KV MB     RSS MB\n")
        let first = report.rows[0].decodeTokensPerSecond
        for row in report.rows {
            writeOut(String(format: "%6d  %13.1f  %12.1f  %7.2f×  %9.2f×  %9.2f×  %8.1f  %8.1f\n", row.length, row.prefillTokensPerSecond,
                            row.decodeTokensPerSecond, row.decodeTokensPerSecond / first, row.verifyDepth2Cost, row.verifyDepth4Cost,
                            Double(row.kvBytes) / 1e6, Double(row.residentBytes) / 1e6))
        }
    }
}
