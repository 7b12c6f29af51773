import ArgumentParser
import SkipChatEngine

/// `skipchat info`: the architecture and storage of a model file.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Print a model's architecture, tensor types and size.")

    @Option(name: .long, help: "GGUF file or Hugging Face checkpoint directory (default: the built-in SmolLM2-135M-Instruct).")
    var model: String?

    @OptionGroup var kernels: KernelOptions

    func run() throws {
        try kernels.apply()
        let path = model ?? LanguageModel.defaultModelPath
        let file = try failing { try ModelFile.open(path: path) }
        for line in file.summaryLines { print(line) }
        print(KernelSelection.summary)
    }
}
