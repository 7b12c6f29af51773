import SkipChatEngine

extension Knob {
    /// Every knob, in the order `--help`, the help overlay and docs/keys.md list them.
    ///
    /// To add one: a row here, a case in `KnobID`, its field in `ChatOptions.set(_:_:)` (and, for a
    /// knob the decoder reads live, `DecoderSettings.value(of:)`/`set(_:_:)`), the `@Option` in
    /// Sources/skipchat/DecodingOptions.swift named from the row; KnobTableTests then fails and prints
    /// the new knob section for docs/keys.md.
    public static let table: [Knob] = [
        Knob(id: .model, name: "model", flag: "--model PATH", environment: nil, configKey: "model", setNames: [], command: nil,
             keys: nil, range: .text, defaultValue: "SmolLM2-135M-Instruct",
             help: "GGUF file or Hugging Face checkpoint directory."),
        Knob(id: .threads, name: "threads", flag: "--threads N", environment: nil, configKey: "threads", setNames: [], command: nil,
             keys: nil, range: .integers(1...256), defaultValue: "the machine's cores",
             help: "Kernel threads."),
        Knob(id: .precision, name: "precision", flag: "--precision P", environment: nil, configKey: "precision", setNames: [], command: nil,
             keys: nil, range: .words(KernelPrecision.allCases.map(\.rawValue), aliases: [:]), defaultValue: KernelPrecision.accurate.rawValue,
             help: "Activations of quantised weights: accurate (int16) or fast (int8, as llama.cpp; ~1.2% logit error)."),
        Knob(id: .kvType, name: "kv type", flag: "--kv-type T", environment: nil, configKey: "kv_type", setNames: [], command: nil,
             keys: nil, range: .words(KVCacheType.allCases.map(\.rawValue), aliases: [:]), defaultValue: KVCacheType.f16.rawValue,
             help: "Element type of the KV cache: f32, f16 (half the bytes, as llama.cpp) or bf16; greedy self-speculation equals plain decoding with each."),
        Knob(id: .kernels, name: "kernels", flag: nil, environment: KernelSelection.environmentKey, configKey: nil, setNames: [], command: nil,
             keys: nil, range: .words(KernelPath.allCases.map(\.rawValue), aliases: [:]), defaultValue: "avx2 where the CPU has it, else scalar",
             help: "Forces a kernel path; one the CPU cannot run is refused."),
        Knob(id: .draftHead, name: "draft head", flag: "--draft-head H", environment: nil, configKey: "draft_head", setNames: [], command: nil,
             keys: nil, range: .draftHeads, defaultValue: "auto",
             help: "Head drafts read: full; N, the N most frequent ids of the built-in corpus; or auto: the sidecar's head, "
                 + "else the ids covering 95% of the corpus when the LM head is over 10% of a token's weight reads, else full. "
                 + "Verification always reads the full head."),
        Knob(id: .exitLayer, name: "exit layer", flag: "--exit-layer E", environment: nil, configKey: "exit_layer", setNames: ["exit", "e", "exit-layer"],
             command: nil, keys: .steps(down: [.function(5), .altLeft, .alt("e")], up: [.function(6), .altRight, .alt("E")], step: 1),
             range: .exitLayers, defaultValue: "the adapters' layer, else L/4",
             help: "Exit layer E: drafts run layers 1…E."),
        Knob(id: .depth, name: "depth", flag: "--depth K", environment: nil, configKey: "depth", setNames: ["depth", "k"], command: nil,
             keys: .steps(down: [.function(7), .altDown, .alt("d")], up: [.function(8), .altUp, .alt("D")], step: 1),
             range: .integers(1...DecoderSettings.maxDepth), defaultValue: "4",
             help: "Speculation depth K: draft tokens per round."),
        Knob(id: .mode, name: "mode", flag: "--autoregressive, --auto", environment: nil, configKey: "mode", setNames: ["mode"], command: nil,
             keys: .cycle([.function(9), .alt("m")]),
             range: .words(DecodingMode.allCases.map(\.rawValue), aliases: ["ar": DecodingMode.autoregressive.rawValue]), defaultValue: "auto",
             help: "autoregressive: no drafts; fixed: drafts exit at E (--exit-layer/--depth choose it); dynamic: see threshold; auto: E and K follow the acceptance."),
        Knob(id: .threshold, name: "threshold", flag: "--dynamic THRESHOLD", environment: nil, configKey: "threshold", setNames: ["threshold", "th"],
             command: nil, keys: .steps(down: [.alt("h")], up: [.alt("H")], step: 0.05),
             range: .numbers(lower: 0.05, upper: 1, lowerOpen: false), defaultValue: "0.6",
             help: "Dynamic exit: a draft exits at the first layer whose top-1 probability reaches the threshold (the flag picks dynamic mode)."),
        Knob(id: .temperature, name: "temperature", flag: "--temperature T", environment: nil, configKey: "temperature", setNames: ["temp", "temperature", "t"],
             command: nil, keys: .steps(down: [.function(10), .alt("t")], up: [.function(11), .alt("T")], step: 0.1),
             range: .numbers(lower: 0, upper: 2, lowerOpen: false), defaultValue: "the model's recommendation",
             help: "Sampling temperature (0 = greedy)."),
        Knob(id: .topK, name: "top-k", flag: "--top-k K", environment: nil, configKey: "top_k", setNames: ["top-k", "topk"], command: nil,
             keys: nil, range: .integers(0...Int.max), defaultValue: "the model's recommendation",
             help: "Keep the K most probable tokens (0 = off)."),
        Knob(id: .topP, name: "top-p", flag: "--top-p P", environment: nil, configKey: "top_p", setNames: ["top-p", "topp"], command: nil,
             keys: nil, range: .numbers(lower: 0, upper: 1, lowerOpen: true), defaultValue: "the model's recommendation",
             help: "Nucleus sampling threshold (1 = off)."),
        Knob(id: .minP, name: "min-p", flag: "--min-p P", environment: nil, configKey: "min_p", setNames: ["min-p", "minp"], command: nil,
             keys: nil, range: .numbers(lower: 0, upper: 1, lowerOpen: false), defaultValue: "the model's recommendation",
             help: "Drop tokens below P × the top probability (0 = off)."),
        Knob(id: .repetitionPenalty, name: "repetition penalty", flag: "--repetition-penalty R", environment: nil, configKey: "repeat_penalty",
             setNames: ["repeat", "repetition-penalty"], command: nil,
             keys: nil, range: .numbers(lower: 0, upper: 10, lowerOpen: true), defaultValue: "1",
             help: "Repetition penalty (1 = off)."),
        Knob(id: .seed, name: "seed", flag: "--seed N", environment: nil, configKey: "seed", setNames: ["seed"], command: nil,
             keys: nil, range: .seeds, defaultValue: "chat: a fresh one; generate: 0",
             help: "Random seed for sampling."),
        Knob(id: .greedy, name: "greedy", flag: "--greedy", environment: nil, configKey: nil, setNames: [], command: nil,
             keys: nil, range: .onOff, defaultValue: "generate: on; chat: off",
             help: "Greedy decoding (temperature 0): the same reply for the same prompt."),
        Knob(id: .maxTokens, name: "max tokens", flag: "--max-tokens N", environment: nil, configKey: "max_tokens", setNames: [], command: nil,
             keys: nil, range: .integers(1...1_000_000), defaultValue: "chat: 1024; generate: 256",
             help: "Longest reply, in tokens."),
        Knob(id: .context, name: "context", flag: "--context N", environment: nil, configKey: "context", setNames: [], command: nil,
             keys: nil, range: .contextWindow, defaultValue: "the model's",
             help: "Context window in tokens; beyond it the chat leaves out the oldest turns (the system prompt stays)."),
        Knob(id: .system, name: "system prompt", flag: "--system TEXT", environment: nil, configKey: "system", setNames: [], command: "/system [TEXT]",
             keys: nil, range: .text, defaultValue: "none",
             help: "System prompt."),
        Knob(id: .theme, name: "theme", flag: "--theme NAME", environment: nil, configKey: "theme", setNames: [], command: "/theme [NAME]",
             keys: nil, range: .text, defaultValue: "dark",
             help: "Theme name (dark, light, colorblind, mono, or a user theme) or a theme file."),
        Knob(id: .ghostText, name: "ghost text", flag: nil, environment: nil, configKey: "ghost_text", setNames: [], command: "/ghost",
             keys: .toggle([.function(3)]), range: .onOff, defaultValue: "off",
             help: "Rejected drafts stay inline (dim italic)."),
    ]

    /// The knobs `/set` changes, in table order.
    public static var settable: [Knob] { table.filter { !$0.setNames.isEmpty } }
}
