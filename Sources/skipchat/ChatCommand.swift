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

    @Option(name: .customLong(Knob[.maxTokens].flagName!), help: Knob[.maxTokens].argumentHelp)
    var maxTokens: Int?

    @Option(name: .customLong(Knob[.context].flagName!), help: Knob[.context].argumentHelp)
    var context: Int?

    @Option(name: .customLong(Knob[.theme].flagName!), help: Knob[.theme].argumentHelp)
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
        var flags = ChatOptions()
        flags.maxTokens = maxTokens
        flags.threads = modelOptions.threads
        flags.context = context
        try Knob.checkFlags(flags, model: nil)
    }

    /// Hands the flags to `runChat`, which layers them over the config file, applies the kernel
    /// path and precision (`SKIPCHAT_KERNELS`, `--precision`) and checks the model's bounds.
    func run() throws {
        var options = decoding.options
        options.modelPath = modelOptions.model
        options.quantize = modelOptions.quantize
        options.threads = modelOptions.threads
        options.precision = modelOptions.kernels.precision
        options.kvType = try modelOptions.kernels.kvCacheType()
        options.template = modelOptions.template
        options.adapters = modelOptions.noAdapters ? false : nil
        options.adapterPath = modelOptions.adapters.map { NSString(string: $0).expandingTildeInPath }
        options.draftHead = try modelOptions.draftHeadRequest()
        options.maxTokens = maxTokens
        options.context = context
        options.theme = theme
        options.systemPrompt = system
        options.resume = resume
        options.configPath = config
        options.line = line
        let status = runChat(options, resolveModel: HubModelArgument.path)
        if status != 0 { throw ExitCode(status) }
    }
}
