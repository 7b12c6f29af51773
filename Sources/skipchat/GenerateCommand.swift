import ArgumentParser
import Foundation
import SkipChatEngine

/// `skipchat generate`: one reply (or raw continuation) printed to standard output.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a reply to one prompt and print it (text, ANSI colour by exit layer, or JSON events).",
        discussion: "Decoding is greedy unless --temperature is given (scripts rely on the same output for the same prompt); the chat instead samples with the model's recommended settings."
    )

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var decoding: DecodingOptions

    @Option(name: .long, help: "The prompt (default: read standard input).")
    var prompt: String?

    @Option(name: .long, help: "Most tokens to generate.")
    var maxTokens = 256

    @Flag(name: .long, help: "Continue the prompt as written, without the chat template; special-token text in it (e.g. <|im_start|>) becomes the control token, as in `tokenize`.")
    var raw = false

    @Flag(name: .long, help: "With --raw: treat special-token text in the prompt as plain text.")
    var noSpecial = false

    @Option(name: .long, help: "Context window in tokens (16 … the model's context; default: the model's); the reply stops when it is full.")
    var context: Int?

    @Option(name: .long, help: ArgumentHelp("The repetition penalty looks at the last N tokens only (default: the whole context; the chat uses 64).",
                                            valueName: "N"))
    var repetitionWindow: Int?

    @Option(name: .long, help: "System prompt.")
    var system: String?

    @Option(name: .long, help: "Colour tokens by exit layer: auto, always or never.")
    var color: ColorChoice = .auto

    @Flag(name: .long, help: "Show rejected drafts inline, dimmed and struck through.")
    var showRejected = false

    @Option(name: .long, help: "Show control characters and bidi overrides of the reply as visible escapes (\\x1b): auto (when standard output is a terminal), always or never (the model's exact bytes).")
    var sanitize: SanitizeChoice = .auto

    @Flag(name: .long, help: "Print one JSON object per event instead of text.")
    var json = false

    func validate() throws {
        guard maxTokens >= 1 && maxTokens <= 1_000_000 else { throw ValidationError("--max-tokens must be between 1 and 1000000") }
        if let prompt, prompt.isEmpty { throw ValidationError("--prompt is empty") }
        if let n = repetitionWindow, n < 1 { throw ValidationError("--repetition-window must be at least 1") }
        if noSpecial && !raw { throw ValidationError("--no-special applies to --raw prompts (chat messages are always plain text)") }
    }

    func run() throws {
        let text = try prompt ?? failing { try readStandardInput() }
        let model = try modelOptions.load()
        if !raw { try failing { _ = try model.chatTemplate() } }
        var settings = try decoding.settings(for: model)
        if let n = repetitionWindow { settings.sampling.repetitionWindow = n }
        var messages: [ChatMessage] = []
        if let system { messages.append(ChatMessage(role: "system", content: system)) }
        messages.append(ChatMessage(role: "user", content: text))
        var ids = raw ? model.tokenizer.encode(text, parseSpecial: !noSpecial) : model.promptTokens(messages)
        if raw, model.tokenizer.addsBOS, let bos = model.tokenizer.bosID, ids.first != bos { ids.insert(bos, at: 0) }

        let limit = model.config.contextLength
        if let context, !(16...limit).contains(context) {
            throw ValidationError("--context must be between 16 and the model's context, \(limit) (got \(context))")
        }
        let session = GenerationSession(model: model, maxContext: context)
        let knobs = DecoderKnobs(settings)
        let printer: EventPrinter = json
            ? JSONEventPrinter()
            : TextEventPrinter(colors: color.enabled(for: FileHandle.standardOutput), layerCount: model.config.layerCount,
                               showRejected: showRejected, sanitize: sanitize.enabled(for: FileHandle.standardOutput))
        try failing {
            try session.generate(prompt: ids, maxTokens: maxTokens, knobs: knobs) { event in
                printer.handle(event)
                if case .finished(.contextFull, _, _) = event {
                    printErrorLine("the reply stopped at the end of the \(session.contextLimit)-token context window")
                }
            }
        }
    }

    private func readStandardInput() throws -> String {
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else { throw InputError.notUTF8 }
        guard !text.isEmpty else { throw InputError.empty }
        return text
    }
}

enum InputError: Error, CustomStringConvertible {
    case notUTF8, empty
    var description: String {
        switch self {
        case .notUTF8: "standard input is not valid UTF-8"
        case .empty: "no prompt: pass --prompt TEXT or write the prompt to standard input"
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// auto = a terminal and NO_COLOR unset or empty (no-color.org).
    func enabled(for handle: FileHandle) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            let noColor = ProcessInfo.processInfo.environment["NO_COLOR"] ?? ""
            return noColor.isEmpty && isatty(handle.fileDescriptor) == 1
        }
    }
}
