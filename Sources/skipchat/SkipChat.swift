import ArgumentParser

/// `skipchat`: chat with a language model in the terminal, decoding with self-speculation.
@main
struct SkipChat: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skipchat",
        abstract: "Chat with an LLM on the CPU using self-speculative (LayerSkip) decoding.",
        subcommands: [ChatCommand.self, GenerateCommand.self, InfoCommand.self, TokenizeCommand.self, BenchCommand.self,
                      CalibrateCommand.self],
        defaultSubcommand: ChatCommand.self
    )
}
