import ArgumentParser
import Foundation
import SkipChatEngine
import SkipChatTUI

/// `skipchat chat` (the default command): the interactive chat. Flags override the config file
/// (`$XDG_CONFIG_HOME/skipchat/config.toml`), which overrides the model's defaults.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a model in the terminal, watching self-speculative decoding at work.",
        discussion: "Keys: F1 or ? (empty input) for help. See docs/keys.md.")

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var decoding: DecodingOptions

    @Option(name: .long, help: "Longest reply, in tokens.")
    var maxTokens: Int?

    @Option(name: .long, help: "Context window in tokens (16 … the model's context; default: the model's). When a new turn does not fit, the oldest turns are left out; the system prompt stays.")
    var context: Int?

    @Option(name: .long, help: "Theme name (dark, light, colorblind, mono, or a user theme) or a theme file.")
    var theme: String?

    @Option(name: .long, help: "System prompt.")
    var system: String?

    @Flag(name: .long, help: "Reopen the last session.")
    var resume = false

    @Option(name: .long, help: "Config file (default: $XDG_CONFIG_HOME/skipchat/config.toml).")
    var config: String?

    @Flag(name: .long, help: "Plain line mode: a prompt and the reply as plain text, no full screen (the default when TERM is dumb or unset).")
    var line = false

    func validate() throws {
        if let n = maxTokens, !(1...1_000_000).contains(n) { throw ValidationError("--max-tokens must be between 1 and 1000000") }
        if let n = modelOptions.threads, !(1...256).contains(n) { throw ValidationError("--threads must be between 1 and 256") }
    }

    func run() throws {
        var options = ChatOptions()
        options.modelPath = modelOptions.model
        options.threads = modelOptions.threads
        options.template = modelOptions.template
        options.adapters = modelOptions.noAdapters ? false : nil
        options.adapterPath = modelOptions.adapters.map { NSString(string: $0).expandingTildeInPath }
        options.draftHead = try modelOptions.draftHeadRequest()
        options.exitLayer = decoding.exitLayer
        options.depth = decoding.depth
        options.mode = decoding.requestedMode
        options.dynamicThreshold = decoding.dynamic
        options.temperature = decoding.greedy ? 0 : decoding.temperature
        options.topK = decoding.topK
        options.topP = decoding.topP
        options.minP = decoding.minP
        options.repetitionPenalty = decoding.repetitionPenalty
        options.seed = decoding.seed
        options.maxTokens = maxTokens
        options.context = context
        options.theme = theme
        options.systemPrompt = system
        options.resume = resume
        options.configPath = config
        options.line = line
        let status = runChat(options)
        if status != 0 { throw ExitCode(status) }
    }
}
