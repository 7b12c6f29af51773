import ArgumentParser
import Foundation
import SkipChatEngine

/// `skipchat bench`: speed measurements, each printed as ratios measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure decoding speed: speculative sweep, roofline, forced acceptance, decoder overhead, precision; fuzz the file parsers.",
        subcommands: [SweepBench.self, RooflineBench.self, AcceptanceBench.self, OverheadBench.self, PrecisionBench.self, FuzzBench.self],
        defaultSubcommand: SweepBench.self
    )
}

/// Output format of the benchmarks.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Which model a benchmark runs on: a file, or a synthetic random-weight shape.
struct BenchModelOptions: ParsableArguments {
    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "Benchmark a random-weight model of this shape instead of a file: llama3.2-1b (BF16).")
    var synthetic: SyntheticShape?

    enum SyntheticShape: String, ExpressibleByArgument, CaseIterable {
        case llama321b = "llama3.2-1b"
    }

    /// The runnable model and a label for it.
    func load() throws -> (LlamaModel, String, AnyObject) {
        let threads = modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount
        if synthetic != nil {
            guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
            try modelOptions.kernels.apply()
            let synthetic = SyntheticModel(config: SyntheticModel.llama32OneB, type: .bf16)
            return (LlamaModel(config: synthetic.config, weights: synthetic.weights, threads: threads),
                    "random-weight layerskip-llama3.2-1B shape, BF16", synthetic)
        }
        let model = try modelOptions.load()
        return (model.llama, model.file.displayName, model)
    }
}

func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    if let data = try? encoder.encode(value) { writeOut(String(decoding: data, as: UTF8.self) + "\n") }
}
