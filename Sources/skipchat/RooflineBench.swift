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

    @OptionGroup var bench: BenchModelOptions

    @Option(name: .long, help: "Positions of the prefill timing (also the context the decode and verify steps run after).")
    var promptLength = 128

    @Option(name: .long, help: "Tokens of each decode timing.")
    var decodeSteps = 32

    @Option(name: .long, help: "Timings of each figure; the best is kept (verify: at least 5).")
    var repeats = 3

    @Option(name: .long, help: "Output: table or json.")
    var format: TableFormat = .table

    @Option(name: .long, help: "Also write the results as an SVG plot to this file.")
    var plot: String?

    @Flag(name: .long, help: "Let --plot overwrite an existing file.")
    var force = false

    func validate() throws {
        guard (9...4096).contains(promptLength) else { throw ValidationError("--prompt-length must be between 9 and 4096") }
        guard (1...4096).contains(decodeSteps) else { throw ValidationError("--decode-steps must be between 1 and 4096") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be between 1 and 100") }
        try BenchPlots.validate(plot, force: force)
    }

    func run() throws {
        let (model, label) = try bench.load()
        let report = RooflineBenchmark.run(model: model.llama, promptLength: promptLength, decodeSteps: decodeSteps, repeats: repeats)
        if let plot { try BenchPlots.write(BenchPlots.roofline(report, model: label), to: plot, force: force) }
        if format == .json { return printJSON(report) }
        writeShown("model: \(label)\n")
        writeOut("\(KernelSelection.summary)\n")
        writeOut(String(format: "%d threads, weights read per token %.1f MB\n", report.threads, Double(report.bytesPerToken) / 1e6))
        writeOut(String(format: "memory bandwidth (streaming read, same run)  %6.1f GB/s\n", report.bandwidthGBs))
        writeOut(String(format: "prefill                                      %6.1f tokens/s\n", report.prefillTokensPerSecond))
        writeOut(String(format: "decode                                       %6.1f tokens/s = %.1f GB/s = %.2f of roofline\n",
                        report.decodeTokensPerSecond, report.decodeGBs, report.rooflineFraction))
        for (k, ratio) in zip(report.verifyPositions.map { $0 - 1 }, report.verifyCostRatio) {
            writeOut(String(format: "verify depth %d (%d positions)                 %6.2f × one decode step\n", k, k + 1, ratio))
        }
    }
}
