import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine

/// `skipchat bench precision`: what the fast (int8) activation precision does to the greedy answers.
struct PrecisionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision",
        abstract: "Compare --precision fast with accurate on chat prompts: argmax changes, near-ties, logit error."
    )

    @OptionGroup var options: BenchReportOptions

    @Option(name: .long, help: "Tokens per answer.")
    var maxTokens = 48

    @Option(name: .long, help: "A greedy token that changes where the accurate top-1 − top-2 logit margin exceeds this is a regression.")
    var margin: Float = 0.1

    func validate() throws {
        guard (1...4096).contains(maxTokens) else { throw ValidationError("--max-tokens must be between 1 and 4096") }
        guard margin >= 0 && margin.isFinite else { throw ValidationError("--margin must be a finite number ≥ 0") }
    }

    func run() throws {
        let (model, label) = try options.bench.load()
        try failing { _ = try model.chatTemplate() }
        let report = try failing {
            try PrecisionBenchmark.run(model: model, prompts: SpeculationSweep.defaultPrompts, maxTokens: maxTokens, margin: margin,
                                       environment: ProcessInfo.processInfo.environment)
        }
        if options.printedJSON(report) { return }
        writeShown("model: \(label), kernels \(report.kernelPath), \(report.prompts) prompts, \(report.positions) answer positions\n")
        writeOut(String(format: "greedy tokens changed by fast precision   %d (%d where the accurate margin > %.2f: regressions)\n",
                        report.argmaxChanges, report.changesAboveMargin, report.margin))
        writeOut(String(format: "largest |Δlogit| / logit scale            %.4f\n", report.maxRelativeLogitError))
        writeOut("whole answers changed                     \(report.answersChanged) of \(report.prompts)\n")
    }
}
