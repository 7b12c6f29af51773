import ArgumentParser
import Foundation
import SkipChatEngine

/// `skipchat bench`: speed measurements, each printed as ratios measured in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure decoding speed: speculative sweep, roofline, forced acceptance, decoder overhead, precision, long contexts; fuzz the file parsers; write random-weight models.",
        subcommands: [SweepBench.self, RooflineBench.self, AcceptanceBench.self, OverheadBench.self, PrecisionBench.self, FuzzBench.self,
                      SyntheticGGUFBench.self, ContextBench.self],
        defaultSubcommand: SweepBench.self
    )
}

/// Output format of `bench sweep`: a table, JSON, or one CSV row per setting.
enum TableFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

/// Which model a benchmark runs on: a file, or a synthetic random-weight shape.
struct BenchModelOptions: ParsableArguments {
    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: ArgumentHelp(
        "Benchmark a random-weight model of this shape instead of a file (made in memory in seconds; `bench synthetic-gguf` writes the same model as a file).",
        valueName: SyntheticShape.allCases.map(\.rawValue).joined(separator: "|")))
    var synthetic: SyntheticShape?

    func validate() throws {
        if synthetic != nil && modelOptions.model != nil { throw ValidationError("--synthetic and --model contradict each other") }
    }

    /// The runnable model and a label for it. A synthetic model's making (bytes, seconds) is
    /// reported on standard error.
    func load() throws -> (model: LanguageModel, label: String) {
        guard let synthetic else {
            let model = try modelOptions.load()
            return (model, model.file.displayName)
        }
        let threads = modelOptions.threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard threads >= 1 && threads <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        try modelOptions.kernels.apply()
        let start = Date()
        let file = try failing { try SyntheticModel.open(synthetic.spec) }
        let seconds = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data(String(format: "skipchat: made %@ (%.2f GB of weights) in %.2f s\n",
                                                   synthetic.rawValue as NSString, Double(synthetic.spec.weightBytes) / 1e9, seconds).utf8))
        // Drafts of a synthetic model read the rows `bench acceptance` picks (DraftHeadPick.synthetic),
        // not a corpus head: its vocabulary is made up.
        let model = try failing { try LanguageModel(file: file, threads: threads, template: modelOptions.template, adapters: false, draftHead: .full) }
        return (model, synthetic.label)
    }
}

extension SyntheticShape: ExpressibleByArgument {}

func printJSON(_ value: some Encodable) {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    if let data = try? encoder.encode(value) { writeOut(String(decoding: data, as: UTF8.self) + "\n") }
}
