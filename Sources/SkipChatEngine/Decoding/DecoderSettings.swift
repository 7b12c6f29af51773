/// How draft tokens are produced each round.
public enum DecodingMode: String, Sendable, CaseIterable, Codable {
    /// Plain decoding: every token runs all L layers; no drafts.
    case autoregressive
    /// Drafts exit at a fixed exit layer E (LayerSkip, Elhoushi et al. 2024 §4).
    case fixed
    /// Each draft token runs layer by layer and exits at the first layer whose early-exit
    /// top-1 probability reaches `dynamicThreshold` (or at `maxExitLayer`).
    case dynamic
    /// Fixed-E drafting with E and K adjusted between rounds from the observed acceptance.
    case auto
}

/// Sampling knobs. temperature == 0 means greedy (argmax); the same processing is applied to the
/// draft and the verifier distributions so speculative sampling keeps the model's distribution.
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// Softmax temperature; 0 = greedy.
    public var temperature: Float = 0
    /// Keep only the k most probable tokens; 0 = off.
    public var topK: Int = 0
    /// Nucleus: keep the smallest set of tokens whose probability sum reaches p; 1 = off.
    public var topP: Float = 1
    /// Drop tokens whose probability is below minP × the top probability; 0 = off.
    public var minP: Float = 0
    /// CTRL-style repetition penalty (Keskar et al. 2019) on tokens already in the context; 1 = off.
    public var repetitionPenalty: Float = 1
    /// The penalty looks at the last N tokens of the context only (ollama's `repeat_last_n`);
    /// nil = the whole context.
    public var repetitionWindow: Int?
    /// Seed of the random generator used for sampling and acceptance tests.
    public var seed: UInt64 = 0

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, minP: Float = 0,
                repetitionPenalty: Float = 1, repetitionWindow: Int? = nil, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repetitionPenalty = repetitionPenalty
        self.repetitionWindow = repetitionWindow
        self.seed = seed
    }

    public var isGreedy: Bool { temperature <= 0 }
}

/// Everything the user can change while the model is generating. The decoder reads a copy at the
/// start of each round.
public struct DecoderSettings: Sendable, Equatable, Codable {
    public var mode: DecodingMode
    /// Exit layer E (1 … L−1): drafts run layers [0, E).
    public var exitLayer: Int
    /// Speculation depth K (1 … 16): draft tokens per round.
    public var depth: Int
    /// Dynamic mode: top-1 early-exit probability at which a draft token exits (0.05 … 1, the
    /// range the chat and the command line accept).
    public var dynamicThreshold: Float
    /// Dynamic mode: deepest layer a draft may use before it must exit.
    public var maxExitLayer: Int
    public var sampling: SamplingParameters

    public init(mode: DecodingMode = .fixed, exitLayer: Int, depth: Int, dynamicThreshold: Float = 0.6,
                maxExitLayer: Int, sampling: SamplingParameters = SamplingParameters()) {
        self.mode = mode
        self.exitLayer = exitLayer
        self.depth = depth
        self.dynamicThreshold = dynamicThreshold
        self.maxExitLayer = maxExitLayer
        self.sampling = sampling
    }

    /// Largest speculation depth accepted.
    public static let maxDepth = 16
}
