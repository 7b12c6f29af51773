import ArgumentParser
import SkipChatEngine
import SkipChatTUI

extension DecodingMode: ExpressibleByArgument {}

/// `skipchat chat`: the interactive chat. Flags override the config file
/// (`$XDG_CONFIG_HOME/skipchat/config.toml`), which overrides the model's defaults.
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a model in the terminal, watching self-speculative decoding at work.",
        discussion: "Keys: F1 or ? (empty input) for help. See docs/keys.md.")

    @Option(name: .long, help: "Model file or directory (default: the model in ~/.cache/skipchat/models).")
    var model: String?

    @Option(name: .long, help: "Decoder threads.")
    var threads: Int?

    @Option(name: [.customLong("exit-layer"), .customShort("e")], help: "Exit layer E of the drafts (1 … L−1).")
    var exitLayer: Int?

    @Option(name: [.long, .customShort("k")], help: "Speculation depth K: drafts per round (1 … 16).")
    var depth: Int?

    @Option(name: .long, help: "Decoding mode: autoregressive, fixed, dynamic or auto.")
    var mode: DecodingMode?

    @Option(name: .customLong("threshold"), help: "Dynamic mode: top-1 probability at which a draft exits (0 … 1).")
    var dynamicThreshold: Float?

    @Option(name: [.long, .customShort("t")], help: "Sampling temperature (0 = greedy).")
    var temperature: Float?

    @Option(name: .customLong("top-k"), help: "Top-k sampling (0 = off).")
    var topK: Int?

    @Option(name: .customLong("top-p"), help: "Nucleus sampling (1 = off).")
    var topP: Float?

    @Option(name: .customLong("min-p"), help: "Min-p sampling (0 = off).")
    var minP: Float?

    @Option(name: .customLong("repeat-penalty"), help: "Repetition penalty (1 = off).")
    var repetitionPenalty: Float?

    @Option(name: .long, help: "Random seed for sampling.")
    var seed: UInt64?

    @Option(name: .customLong("max-tokens"), help: "Longest reply, in tokens.")
    var maxTokens: Int?

    @Option(name: .long, help: "Theme name (dark, light, colorblind, mono, or a user theme) or a theme file.")
    var theme: String?

    @Option(name: .customLong("system"), help: "System prompt.")
    var systemPrompt: String?

    @Flag(name: .long, help: "Reopen the last session.")
    var resume = false

    @Option(name: .long, help: "Config file (default: $XDG_CONFIG_HOME/skipchat/config.toml).")
    var config: String?

    mutating func run() throws {
        var options = ChatOptions()
        options.modelPath = model
        options.threads = threads
        options.exitLayer = exitLayer
        options.depth = depth
        options.mode = mode
        options.dynamicThreshold = dynamicThreshold
        options.temperature = temperature
        options.topK = topK
        options.topP = topP
        options.minP = minP
        options.repetitionPenalty = repetitionPenalty
        options.seed = seed
        options.maxTokens = maxTokens
        options.theme = theme
        options.systemPrompt = systemPrompt
        options.resume = resume
        options.configPath = config
        let status = runChat(options)
        if status != 0 { throw ExitCode(status) }
    }
}
