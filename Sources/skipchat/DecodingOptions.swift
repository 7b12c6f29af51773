import ArgumentParser
import Foundation
import SkipChatEngine
import SkipChatTUI

extension QuantizeType: ExpressibleByArgument {}

/// Model, decoding mode and sampling flags shared by `generate`, `chat` and `bench`.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong(Knob[.model].flagName!), help: ArgumentHelp(Knob[.model].help + " Default: \(Knob[.model].defaultValue).", valueName: Knob[.model].valueName))
    var model: String?

    @Option(name: .customLong(Knob[.threads].flagName!), help: ArgumentHelp(Knob[.threads].helpWithRange + " Default: \(Knob[.threads].defaultValue).", valueName: Knob[.threads].valueName))
    var threads: Int?

    @Option(name: .long, help: "Chat template: \(ChatTemplate.names.joined(separator: ", ")) (default: recognised from the model).")
    var template: String?

    @Flag(name: .long, help: "Draft with raw early exits: ignore the model's draft sidecar (skipchat calibrate).")
    var noAdapters = false

    @OptionGroup var kernels: KernelOptions

    @Option(name: .customLong(Knob[.quantize].flagName!), help: ArgumentHelp(Knob[.quantize].helpWithRange + " Default: \(Knob[.quantize].defaultValue).", valueName: Knob[.quantize].valueName))
    var quantize: QuantizeType?

    @Option(name: .long, help: "Exit-adapter sidecar to use instead of the one beside the model or in the cache.")
    var adapters: String?

    @Option(name: .customLong(Knob[.draftHead].flagName!), parsing: .unconditional,
            help: ArgumentHelp(Knob[.draftHead].helpWithRange + " Default: \(Knob[.draftHead].defaultValue).", valueName: Knob[.draftHead].valueName))
    var draftHead: String?

    func validate() throws {
        if noAdapters && adapters != nil { throw ValidationError("--adapters and --no-adapters contradict each other") }
        if let adapters, !FileManager.default.fileExists(atPath: NSString(string: adapters).expandingTildeInPath) {
            throw ValidationError("--adapters \(adapters): no such file")
        }
    }

    /// `--draft-head` read and checked as its knob (nil when not given); a value outside the knob's
    /// range is one line on standard error ("skipchat: --draft-head must be …") and exit status 1.
    /// The model's vocabulary bounds N when it loads (`DraftHeadError`).
    func draftHeadRequest() throws -> DraftHeadRequest? {
        guard let draftHead else { return nil }
        let knob = Knob[.draftHead]
        return try failing {
            let value = try knob.parse(draftHead).get()
            if let problem = knob.problem(value) { throw ValidationError("--\(knob.flagName!) \(problem)") }
            var flags = ChatOptions()
            flags.set(.draftHead, value)
            return flags.draftHead
        }
    }

    /// Loads the model; a sidecar that cannot be used is reported on standard error and ignored.
    func load() throws -> LanguageModel {
        let count = threads ?? ProcessInfo.processInfo.activeProcessorCount
        guard count >= 1 && count <= 256 else { throw ValidationError("--threads must be between 1 and 256") }
        try kernels.apply()
        let sidecar = adapters.map { NSString(string: $0).expandingTildeInPath }
        let head = try draftHeadRequest() ?? .auto
        let resolvedModel = try HubModelArgument.resolve(model)
        let loaded = try failing {
            guard let quantize else {
                return try LanguageModel.load(path: resolvedModel, threads: count, template: template, adapters: !noAdapters, adapterPath: sidecar,
                                              draftHead: head)
            }
            let progress = QuantizeProgress(type: quantize)
            let file = try ModelFile.open(path: resolvedModel ?? LanguageModel.defaultModelPath, quantize: quantize, threads: count, progress: progress.update)
            progress.finish()
            return try LanguageModel(file: file, threads: count, template: template, adapters: !noAdapters, adapterPath: sidecar, draftHead: head)
        }
        if let warning = loaded.adapterWarning { printErrorLine("warning: \(warning)") }
        return loaded
    }
}

/// The decoding flags of `generate`, `chat` and `bench`: names, value names, help and ranges come
/// from `Knob.table` (SkipChatTUI), as do config.toml, `/set` and the chat's keys.
struct DecodingOptions: ParsableArguments {
    @Flag(name: .customLong("autoregressive"), help: "Plain decoding: every token runs all layers (no drafts).")
    var autoregressive = false

    @Option(name: .customLong(Knob[.exitLayer].flagName!), parsing: .unconditional, help: Knob[.exitLayer].argumentHelp)
    var exitLayer: Int?

    @Option(name: .customLong(Knob[.depth].flagName!), parsing: .unconditional, help: Knob[.depth].argumentHelp)
    var depth: Int?

    @Option(name: .customLong(Knob[.threshold].flagName!), parsing: .unconditional, help: Knob[.threshold].argumentHelp)
    var dynamic: Float?

    @Flag(name: .customLong("auto"), help: "Adjust exit layer and depth between rounds from the observed acceptance.")
    var auto = false

    @Flag(name: .customLong(Knob[.greedy].flagName!), help: Knob[.greedy].argumentHelp)
    var greedy = false

    @Option(name: .customLong(Knob[.temperature].flagName!), parsing: .unconditional, help: Knob[.temperature].argumentHelp)
    var temperature: Float?

    @Option(name: .customLong(Knob[.topK].flagName!), parsing: .unconditional, help: Knob[.topK].argumentHelp)
    var topK: Int?

    @Option(name: .customLong(Knob[.topP].flagName!), parsing: .unconditional, help: Knob[.topP].argumentHelp)
    var topP: Float?

    @Option(name: .customLong(Knob[.minP].flagName!), parsing: .unconditional, help: Knob[.minP].argumentHelp)
    var minP: Float?

    @Option(name: .customLong(Knob[.repetitionPenalty].flagName!), parsing: .unconditional, help: Knob[.repetitionPenalty].argumentHelp)
    var repetitionPenalty: Float?

    @Option(name: .customLong(Knob[.seed].flagName!), help: Knob[.seed].argumentHelp)
    var seed: UInt64?

    /// The flags as knob options (`ChatOptions` fields), for the range checks and the chat.
    var options: ChatOptions {
        var o = ChatOptions()
        o.exitLayer = exitLayer
        o.depth = depth
        o.mode = requestedMode
        o.dynamicThreshold = dynamic
        o.temperature = greedy ? 0 : temperature
        o.topK = topK
        o.topP = topP
        o.minP = minP
        o.repetitionPenalty = repetitionPenalty
        o.seed = seed
        return o
    }

    func validate() throws {
        let modes = [autoregressive, dynamic != nil, auto].filter { $0 }.count
        if modes > 1 { throw ValidationError("choose one of --autoregressive, --dynamic and --auto") }
        if greedy && (temperature ?? 0) > 0 { throw ValidationError("--greedy and --temperature > 0 contradict each other") }
        var flags = options
        flags.temperature = temperature   // --greedy --temperature 5: the range message, not the contradiction
        try Knob.checkFlags(flags, model: nil)
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
    /// - Throws: `ValidationError` for a flag outside the model's bounds (the exit layer).
    func settings(for model: LanguageModel) throws -> DecoderSettings {
        var s = model.defaultSettings()
        try Knob.checkFlags(options, model: ModelBounds(layerCount: model.config.layerCount, contextLength: model.config.contextLength))
        if let e = exitLayer { s.exitLayer = e }
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
