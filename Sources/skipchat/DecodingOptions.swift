import ArgumentParser
import Foundation
import SkipChatEngine

/// Model, decoding mode and sampling flags shared by `generate`, `chat` and `bench`.
struct ModelOptions: ParsableArguments {
    @Option(name: .long, help: "GGUF file or Hugging Face checkpoint directory (default: the built-in SmolLM2-135M-Instruct).")
    var model: String?

    @Option(name: .long, help: "Kernel threads (default: the machine's cores).")
    var threads: Int?

    @Option(name: .long, help: "Chat template: chatml, llama3, llama2 or plain (default: recognised from the model).")
    var template: String?

    @Flag(name: .long, help: "Draft with raw early exits: ignore the model's exit-adapter sidecar (skipchat calibrate).")
    var noAdapters = false

    @OptionGroup var kernels: KernelOptions

    @Option(name: .long, help: "Exit-adapter sidecar to use instead of the one beside the model or in the cache.")
    var adapters: String?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp(
        "Head drafts read: auto, full, or N (the N most frequent ids of the built-in corpus; 1 … vocabulary).",
        discussion: "auto: the sidecar's draft head, else the corpus's most frequent ids covering 95% of its tokens when the LM head is over 10% of a token's weight reads, else the full head. Verification always reads the full head."))
    var draftHead: String?

    func validate() throws {
        if noAdapters && adapters != nil { throw ValidationError("--adapters and --no-adapters contradict each other") }
        if let adapters, !FileManager.default.fileExists(atPath: NSString(string: adapters).expandingTildeInPath) {
            throw ValidationError("--adapters \(adapters): no such file")
        }
    }

    /// `--draft-head` parsed (nil when not given); anything else than auto, full or a positive
    /// number is one line on standard error and exit status 1.
    func draftHeadRequest() throws -> DraftHeadRequest? {
        guard let draftHead else { return nil }
        return try failing {
            guard let request = DraftHeadRequest(draftHead) else { throw DraftHeadArgumentError(text: draftHead) }
            return request
        }
    }

    /// Loads the model; a sidecar that cannot be used is reported on standard error and ignored.
    func load() throws -> LanguageModel {
        let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard count >= 1 && count <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        try kernels.apply()
        let sidecar = adapters.map { NSString(string: $0).expandingTildeInPath }
        let head = try draftHeadRequest() ?? .auto
        let loaded = try failing {
            try LanguageModel.load(path: model, threads: count, template: template, adapters: !noAdapters, adapterPath: sidecar,
                                   draftHead: head)
        }
        if let warning = loaded.adapterWarning { FileHandle.standardError.write(Data("skipchat: warning: \(warning)\n".utf8)) }
        return loaded
    }
}

/// A `--draft-head` value that is neither auto, full nor a positive number.
struct DraftHeadArgumentError: Error, CustomStringConvertible {
    var text: String
    var description: String { "--draft-head \(text): use auto, full or a number of rows (1 … the vocabulary size)" }
}

struct DecodingOptions: ParsableArguments {
    @Flag(name: .long, help: "Plain decoding: every token runs all layers (no drafts).")
    var autoregressive = false

    @Option(name: .long, parsing: .unconditional, help: "Exit layer E: drafts run layers 1…E (1 ≤ E < L).")
    var exitLayer: Int?

    @Option(name: .long, parsing: .unconditional, help: "Speculation depth K: draft tokens per round (1…16).")
    var depth: Int?

    @Option(name: .long, parsing: .unconditional, help: "Dynamic exit: a draft exits at the first layer whose top-1 probability reaches THRESHOLD (0…1).")
    var dynamic: Float?

    @Flag(name: .long, help: "Adjust exit layer and depth between rounds from the observed acceptance.")
    var auto = false

    @Flag(name: .long, help: "Greedy decoding (generate's default; chat samples with the model's recommended settings unless given this).")
    var greedy = false

    @Option(name: .long, parsing: .unconditional, help: "Sampling temperature (0 = greedy).")
    var temperature: Float?

    @Option(name: .long, parsing: .unconditional, help: "Keep the K most probable tokens (0 = off).")
    var topK: Int?

    @Option(name: .long, parsing: .unconditional, help: "Nucleus sampling threshold (1 = off).")
    var topP: Float?

    @Option(name: .long, parsing: .unconditional, help: "Drop tokens below MIN_P × the top probability (0 = off).")
    var minP: Float?

    @Option(name: .long, parsing: .unconditional, help: "Repetition penalty (1 = off).")
    var repetitionPenalty: Float?

    @Option(name: .long, help: "Random seed for sampling.")
    var seed: UInt64?

    func validate() throws {
        let modes = [autoregressive, dynamic != nil, auto].filter { $0 }.count
        if modes > 1 { throw ValidationError("choose one of --autoregressive, --dynamic and --auto") }
        if let e = exitLayer, e < 1 { throw ValidationError("--exit-layer must be at least 1") }
        if let k = depth, !(1...DecoderSettings.maxDepth).contains(k) {
            throw ValidationError("--depth must be between 1 and \(DecoderSettings.maxDepth)")
        }
        if let t = dynamic, !(0...1).contains(t) { throw ValidationError("--dynamic THRESHOLD must be between 0 and 1") }
        if let t = temperature, !(0...100).contains(t) { throw ValidationError("--temperature must be between 0 and 100") }
        if greedy && (temperature ?? 0) > 0 { throw ValidationError("--greedy and --temperature > 0 contradict each other") }
        if let k = topK, k < 0 { throw ValidationError("--top-k must be 0 or more") }
        if let p = topP, !(p > 0 && p <= 1) { throw ValidationError("--top-p must be in (0, 1]") }
        if let p = minP, !(0...1).contains(p) { throw ValidationError("--min-p must be between 0 and 1") }
        if let r = repetitionPenalty, !(r > 0 && r <= 10) { throw ValidationError("--repetition-penalty must be in (0, 10]") }
    }

    /// The mode the flags ask for: --autoregressive, --auto, --dynamic, or fixed when only
    /// --exit-layer/--depth are given; nil when none is.
    var requestedMode: DecodingMode? {
        if autoregressive { return .autoregressive }
        if auto { return .auto }
        if dynamic != nil { return .dynamic }
        return exitLayer != nil || depth != nil ? .fixed : nil
    }

    /// The settings these flags ask for, on top of the model's defaults.
    func settings(for model: LanguageModel) throws -> DecoderSettings {
        var s = model.defaultSettings()
        let layers = model.config.layerCount
        if let e = exitLayer {
            guard e < layers else { throw ValidationError("--exit-layer must be below the model's \(layers) layers") }
            s.exitLayer = e
        }
        if let k = depth { s.depth = k }
        if let mode = requestedMode { s.mode = mode }
        if let t = dynamic { s.dynamicThreshold = t }
        if !greedy, let t = temperature { s.sampling.temperature = t }
        if let k = topK { s.sampling.topK = k }
        if let p = topP { s.sampling.topP = p }
        if let p = minP { s.sampling.minP = p }
        if let r = repetitionPenalty { s.sampling.repetitionPenalty = r }
        if let seed { s.sampling.seed = seed }
        return s
    }
}
