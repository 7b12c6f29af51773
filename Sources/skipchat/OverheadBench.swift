import ArgumentParser
import Foundation
import SkipChatBenchmark
import SkipChatEngine

/// `skipchat bench overhead`: the decoder's cost outside the model's computation.
struct OverheadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overhead",
        abstract: "Plain decoding through the decoder vs a bare forward-pass loop, same tokens, same run."
    )

    @OptionGroup var options: BenchReportOptions

    @Option(name: .long, help: "Tokens per timing.")
    var tokens = 48

    func validate() throws {
        guard (2...4096).contains(tokens) else { throw ValidationError("--tokens must be between 2 and 4096") }
    }

    func run() throws {
        let (model, label) = try options.bench.load()
        try failing { _ = try model.chatTemplate() }
        let prompt = model.promptTokens([ChatMessage(role: "user", content: SpeculationSweep.defaultPrompts[1])])
        let result = try failing { try DecoderOverheadBenchmark.run(model: model, prompt: prompt, tokens: tokens) }
        if options.printedJSON(result) { return }
        writeOut("\(KernelSelection.summary)\n")
        writeShown("model: \(label), \(result.tokens) tokens, plain greedy decoding\n")
        writeOut(String(format: "decoder (GenerationSession)  %.3f ms/token\nbare forward-pass loop       %.3f ms/token\noverhead                     %.1f%%\n",
                        result.sessionSecondsPerToken * 1000, result.bareSecondsPerToken * 1000, result.overhead * 100))
    }
}
