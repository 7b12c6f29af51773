import ArgumentParser
import Foundation
import SkipChatEngine

/// `skipchat bench roofline`: prefill/decode tokens/s, decode GB/s as a fraction of the bandwidth
/// measured in the same run, and the cost of verifying K+1 positions relative to one decode step.
struct RooflineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roofline",
        abstract: "Decode speed against the memory roofline; verification cost for depth 1…8."
    )

    @OptionGroup var bench: BenchModelOptions

    @Option(name: .long, help: "Output: table or json.")
    var format: TableFormat = .table

    @Option(name: .long, help: "Also write the results as an SVG plot to this file.")
    var plot: String?

    @Flag(name: .long, help: "Let --plot overwrite an existing file.")
    var force = false

    func validate() throws { try BenchPlots.validate(plot, force: force) }

    func run() throws {
        let (model, label, owner) = try bench.load()
        let report = withExtendedLifetime(owner) { RooflineBenchmark.run(model: model) }
        if let plot { try BenchPlots.write(BenchPlots.roofline(report, model: label), to: plot, force: force) }
        if format == .json { return printJSON(report) }
        writeOut("model: \(label)\n")
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
