import SkipChatEngine

/// What the chat asks the decoder thread to do.
public enum WorkerRequest: Sendable {
    /// Render the conversation with the chat template and generate a reply.
    case generate(systemPrompt: String?, turns: [SessionMessage], maxTokens: Int)
    /// Compute the layer lens of the last of `replyTokens`, the reply that follows `turns`.
    case lens(LensRequest)
}

/// Which token the layer lens looks at.
public struct LensRequest: Equatable, Sendable {
    public var systemPrompt: String?
    /// The conversation before the reply.
    public var turns: [SessionMessage]
    /// The reply's committed token ids up to and including the selected one.
    public var replyTokens: [Int32]
    /// Identifies the selection (message index, token index) so stale answers can be dropped.
    public var selection: LensSelection
}

/// A token picked in lens mode: the reply's message index and the index into its tokens.
public struct LensSelection: Equatable, Hashable, Sendable {
    public var message: Int
    public var token: Int
}

/// One early-exit prediction.
public struct LensPrediction: Equatable, Sendable {
    public var text: String
    public var probability: Float
    public var id: Int32

    /// Creates a prediction.
    public init(text: String, probability: Float, id: Int32) {
        self.text = text
        self.probability = probability
        self.id = id
    }
}

/// The early-exit top predictions at one layer.
public struct LensLayer: Equatable, Sendable {
    public var layer: Int
    public var predictions: [LensPrediction]

    /// Creates a layer row.
    public init(layer: Int, predictions: [LensPrediction]) {
        self.layer = layer
        self.predictions = predictions
    }
}

/// What the decoder thread sends back.
public enum WorkerOutput: Sendable {
    case event(DecoderEvent)
    case lens(LensSelection, [LensLayer])
    /// The generation failed; the message is for the user.
    case generationFailed(String)
    /// Something for the user to read (a lens query that failed).
    case notice(String)
    /// The model sees the conversation without its first `messages` user and assistant
    /// messages (the context window is full); sent before every reply.
    case contextTrimmed(messages: Int)
}
