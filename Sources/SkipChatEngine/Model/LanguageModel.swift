import Foundation
@_exported import SkipChatTokenizer

/// A model ready to chat: the opened file, the runnable model, its tokenizer and chat template.
public final class LanguageModel: Sendable {
    public let file: ModelFile
    public let llama: LlamaModel
    public let tokenizer: Tokenizer
    /// The chat template: chosen with `--template`, else recognised from the file, else `plain`
    /// (and `missingTemplate` says which file lacks one; render conversations through
    /// `chatTemplate()`, which throws it).
    public let template: ChatTemplate
    /// Why the model has no chat template skipchat renders (nil when it has one or one was
    /// chosen by name): one line naming the file that lacks it.
    public let missingTemplate: ModelLoadError?
    /// Exit adapters from the model's sidecar (`DraftSidecar`); drafts only — verification
    /// always runs the full model. nil when none or turned off.
    public let exitAdapters: ExitAdapters?
    /// The reduced-vocabulary head drafts read (nil = the full LM head): the sidecar's, or the
    /// draft-head corpus's most frequent ids (`DraftHeadChoice`); `draftHeadInfo` says which.
    public let draftHead: DraftHead?
    public let draftHeadInfo: DraftHeadInfo
    /// Trained draft block at one exit layer (from the sidecar); nil when none.
    public let draftBlock: DraftBlock?
    /// One line saying which adapters are in use (nil = none), and why a sidecar found was not used.
    public let adapterSummary: String?
    public let adapterWarning: String?

    public var name: String { file.name }
    public var config: LlamaConfig { file.config }
    public var weights: LlamaWeights { file.weights }

    /// File name of the default model (SmolLM2-135M-Instruct, Q4_1; README.md).
    public static let defaultModelFileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// `$XDG_CACHE_HOME/skipchat/models/<default model>` (XDG default `~/.cache`).
    public static var defaultModelPath: String {
        cacheDirectory.appendingPathComponent("models/\(defaultModelFileName)").path
    }

    /// `$XDG_CACHE_HOME/skipchat` (XDG Base Directory spec; default `~/.cache/skipchat`).
    public static var cacheDirectory: URL {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? NSString(string: "~/.cache").expandingTildeInPath
        return URL(fileURLWithPath: base).appendingPathComponent("skipchat")
    }

    /// - Parameters:
    ///   - template: a chat template name (`ChatTemplate.names`) overriding the one recognised
    ///     from the file.
    ///   - adapters: load the draft sidecar when there is one (false = raw early exits).
    ///   - adapterPath: the sidecar to load instead of the one beside the model or in the cache.
    ///   - draftHead: the head drafts read (`DraftHeadRequest`; auto prefers the sidecar's).
    /// - Throws: `ModelLoadError` (also for an unknown template name), the tokenizer's error, or
    ///   `DraftHeadError` for a draft head larger than the vocabulary. A model without a chat
    ///   template loads (`missingTemplate`).
    public init(file: ModelFile, threads: Int, template: String? = nil, adapters: Bool = true, adapterPath: String? = nil,
                draftHead request: DraftHeadRequest = .auto) throws {
        self.file = file
        let sidecar = adapters ? DraftSidecar.load(for: file, path: adapterPath) : .none
        exitAdapters = sidecar.adapters
        draftBlock = sidecar.draftBlock
        adapterSummary = sidecar.summary
        adapterWarning = sidecar.warning
        llama = LlamaModel(config: file.config, weights: file.weights, threads: threads)
        tokenizer = try Self.tokenizer(for: file)
        let headShare = Double(file.weights.lmHead.byteCount) / Double(max(1, llama.weightBytesPerToken))
        let head = try DraftHeadChoice.resolve(request, file: file, tokenizer: tokenizer, headShare: headShare,
                                               sidecarHead: sidecar.draftHead)
        draftHead = head.0
        draftHeadInfo = head.1
        (self.template, missingTemplate) = try Self.chatTemplate(named: template, file: file)
    }

    /// The tokenizer stored with a model file.
    /// - Throws: `ModelLoadError` when the file has none; the tokenizer's error when it is unusable.
    public static func tokenizer(for file: ModelFile) throws -> Tokenizer {
        try file.tokenizerSource.tokenizer(file: file.path)
    }

    /// Opens and prepares a model.
    /// - Parameters:
    ///   - path: a GGUF file or Hugging Face checkpoint; nil = the default model.
    ///   - threads: worker threads for the kernels (≥ 1).
    /// - Throws: `ModelLoadError` (also when the default model is not installed), or the
    ///   tokenizer's error when its data is unusable.
    public static func load(path: String?, threads: Int, template: String? = nil, adapters: Bool = true,
                            adapterPath: String? = nil, draftHead: DraftHeadRequest = .auto) throws -> LanguageModel {
        let resolved = path ?? defaultModelPath
        if path == nil && !FileManager.default.fileExists(atPath: resolved) {
            throw ModelLoadError(file: resolved, "the default model is not installed; run `make chat` or scripts/fetch-model.sh to fetch it")
        }
        return try LanguageModel(file: try ModelFile.open(path: resolved), threads: threads, template: template,
                                 adapters: adapters, adapterPath: adapterPath, draftHead: draftHead)
    }

    /// The LM head's cost in units of one layer (bytes read; decode is memory-bound).
    public var headCostInLayers: Double {
        Double(weights.lmHead.byteCount) / Double(max(1, llama.weightBytesPerLayer))
    }

    /// A draft exit's cost in units of one layer: the draft head (or the full head) plus an exit
    /// adapter when there are adapters.
    public var draftExitCostInLayers: Double {
        let head = draftHead?.weight.byteCount ?? weights.lmHead.byteCount
        let adapter = exitAdapters?.adapters.values.first?.weight.byteCount ?? 0
        return Double(head + adapter) / Double(max(1, llama.weightBytesPerLayer))
    }

    /// The draft block's cost per draft in units of one layer (0 without a block).
    public var draftBlockCostInLayers: Double {
        Double(draftBlock?.byteCount ?? 0) / Double(max(1, llama.weightBytesPerLayer))
    }

    /// Exit layers calibrated for drafting: those with exit adapters or the draft block (empty
    /// when the model has neither).
    public var calibratedExitLayers: [Int] {
        Set((exitAdapters.map { Array($0.adapters.keys) } ?? []) + (draftBlock.map { [$0.exitLayer] } ?? [])).sorted()
    }

    /// Settings used when the user gives none: *auto* mode, which drafts only when the observed
    /// acceptance makes it pay and otherwise decodes plainly (exploring now and then). The exit
    /// layer for fixed mode is the draft block's when the model has one, else the deepest calibrated
    /// one when it has exit adapters, else a
    /// quarter of the way up with depth 4 (LayerSkip's settings for its Llama checkpoints are in
    /// this range, Elhoushi et al. 2024 Table 4).
    public func defaultSettings() -> DecoderSettings {
        let layers = config.layerCount
        let exit = draftBlock?.exitLayer ?? exitAdapters?.adapters.keys.max() ?? max(1, layers / 4)
        return DecoderSettings(mode: .auto, exitLayer: exit, depth: 4, dynamicThreshold: 0.6,
                               maxExitLayer: max(1, layers * 3 / 4))
    }
}
