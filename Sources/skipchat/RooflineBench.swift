import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine

/// `skipchat bench roofline`: prefill/decode tokens/s, decode GB/s as a fraction of the bandwidth
/// measured in the same run, and the cost of verifying K+1 positions relative to one decode step.
struct RooflineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roofline",
        abstract: "Decode speed against the memory roofline; verification cost for depth 1…8."
    )

    @OptionGroup var options: BenchReportOptions

    @OptionGroup var plotOptions: PlotOptions

    @Option(name: .long, help: "Positions of the prefill timing (also the context the decode and verify steps run after).")
    var promptLength = 128

    @Option(name: .long, help: "Tokens of each decode timing.")
    var decodeSteps = 32

    @Option(name: .long, help: "Timings of each figure; the best is kept (verify: at least 5).")
    var repeats = 3

    func validate() throws {
        guard (9...4096).contains(promptLength) else { throw ValidationError("--prompt-length must be between 9 and 4096") }
        guard (1...4096).contains(decodeSteps) else { throw ValidationError("--decode-steps must be between 1 and 4096") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 100") }
    }

    func run() throws {
        let (model, label) = try options.bench.load()
        let report = RooflineBenchmark.run(model: model.llama, promptLength: promptLength, decodeSteps: decodeSteps, repeats: repeats)
        try plotOptions.write { BenchPlots.roofline(report, model: label) }
        if options.printedJSON(report) { return }
        writeShown("model: \(label)\n")
        writeOut("\(KernelSelection.summary)\n")
        writeOut(String(format: "%d threads, weights read per token %.1f MB\n", report.threads, Double(report.bytesPerToken) / 1e6))
        writeOut(String(format: "memory bandwidth (streaming read, same run)  %6.1f GB/s\n", report.bandwidthGBs))
        writeOut(String(format: "prefill                                      %6.1f tokens/s\n", report.prefillTokensPerSecond))
        writeOut(String(format: "decode                                       %6.1f tokens/s = %.1f GB/s = %.2f of roofline\n",
                        report.decodeTokensPerSecond, report.decodeGBs, report.rooflineFraction))
        writeOut(String(format: "fastest decode step                          %6.1f tokens/s\n", report.fastestDecodeStepTokensPerSecond))
        for (k, ratio) in zip(report.verifyPositions.map { $0 - 1 }, report.verifyCostRatio) {
            writeOut(String(format: "verify depth %d (%d positions)                 %6.2f × one decode step\n", k, k + 1, ratio))
        }
    }
}
