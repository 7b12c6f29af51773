/// What a token in the event stream is.
public enum TokenKind: String, Sendable, Codable {
    /// Proposed by the draft (early exit), verification pending.
    case draft
    /// A draft token the verifier agreed with (committed).
    case accepted
    /// The verifier's own token: at the first mismatch, or the bonus token after a fully accepted
    /// round, or every token in autoregressive mode (committed).
    case verifier
    /// A draft token the verifier rejected (not committed; its text is retracted).
    case rejected
    /// A token of the prompt (only in saved sessions).
    case prompt
}

/// One token as the UI and scripts see it.
public struct TokenEvent: Sendable, Equatable, Codable {
    /// Token id.
    public var id: Int32
    /// Complete UTF-8 characters this token added to the streamed text (may be empty when the
    /// token ends inside a multi-byte character; the rest arrives with a later token).
    public var text: String
    /// The token's own bytes (a piece of the vocabulary; may be part of a character).
    public var bytes: [UInt8]
    /// Layer (1 … L) whose hidden state produced this token's logits.
    public var exitLayer: Int
    public var kind: TokenKind
    /// Decoding round (1-based; in autoregressive mode every token is its own round).
    public var round: Int
    /// Index of the token in the whole sequence (prompt included), 0-based.
    public var position: Int

    public init(id: Int32, text: String, bytes: [UInt8], exitLayer: Int, kind: TokenKind, round: Int, position: Int) {
        self.id = id
        self.text = text
        self.bytes = bytes
        self.exitLayer = exitLayer
        self.kind = kind
        self.round = round
        self.position = position
    }
}

/// Summary of one draft-and-verify round.
public struct RoundSummary: Sendable, Equatable, Codable {
    public var round: Int
    /// Draft tokens proposed.
    public var drafted: Int
    /// Draft tokens the verifier accepted.
    public var accepted: Int
    /// Exit layer used (mean exit layer of the drafts in dynamic mode, rounded).
    public var exitLayer: Int
    /// Speculation depth in force.
    public var depth: Int
    public var mode: DecodingMode
    /// Wall time of the round, seconds.
    public var seconds: Double
    /// An auto-mode exploration round: drafted although plain decoding was expected to be faster,
    /// to measure acceptance (`TunerState.Decision.exploring`).
    public var exploring: Bool

    public init(round: Int, drafted: Int, accepted: Int, exitLayer: Int, depth: Int, mode: DecodingMode, seconds: Double,
                exploring: Bool = false) {
        self.round = round
        self.drafted = drafted
        self.accepted = accepted
        self.exitLayer = exitLayer
        self.depth = depth
        self.mode = mode
        self.seconds = seconds
        self.exploring = exploring
    }
}

/// Running statistics of one generation.
public struct DecodingStats: Sendable, Equatable, Encodable {
    /// Tokens committed (accepted drafts + verifier tokens).
    public var committedTokens: Int = 0
    public var rounds: Int = 0
    /// Drafts and acceptances by position, committed tokens by exit layer.
    public var speculation: SpeculationTally
    /// Layer evaluations spent (one layer for one position = 1), drafts and verification included.
    public var layerEvaluations: Int = 0
    /// Prompt tokens processed (prefill).
    public var promptTokens: Int = 0
    public var prefillSeconds: Double = 0
    /// Seconds spent generating (after prefill).
    public var decodeSeconds: Double = 0
    /// Number of layers L of the model (plain decoding spends L layer evaluations per token).
    public var layerCount: Int = 0
    /// The auto tuner's state after the last auto-mode round (nil in other modes).
    public var tuner: TunerState?

    public init(layerCount: Int = 0) {
        self.layerCount = layerCount
        speculation = SpeculationTally(layerCount: layerCount)
    }

    public var draftedTokens: Int { speculation.draftedTokens }
    public var acceptedDrafts: Int { speculation.acceptedDrafts }
    /// acceptedByPosition[i] / draftedByPosition[i]: acceptance of the i-th draft of a round.
    public var draftedByPosition: [Int] { speculation.draftedByPosition }
    public var acceptedByPosition: [Int] { speculation.acceptedByPosition }
    /// Histogram of exit layers of committed tokens: exitLayerCounts[l-1] tokens exited at layer l.
    public var exitLayerCounts: [Int] { speculation.exitLayerCounts }

    /// Accepted drafts ÷ drafted tokens (0 when nothing was drafted).
    public var acceptanceRate: Double { speculation.acceptanceRate ?? 0 }
    /// Committed tokens per second of decoding (prefill excluded).
    public var tokensPerSecond: Double { decodeSeconds > 0 ? Double(committedTokens) / decodeSeconds : 0 }
    /// Mean exit layer of committed tokens (0 when none).
    public var meanExitLayer: Double { speculation.meanExitLayer ?? 0 }
    /// Layer evaluations per committed token ÷ L (1.0 = the cost of plain decoding).
    public var relativeLayerCost: Double {
        guard committedTokens > 0, layerCount > 0 else { return 0 }
        return Double(layerEvaluations) / Double(committedTokens * layerCount)
    }

    /// JSON keys: the tally's counts sit beside the other fields, as `skipchat generate --json` prints them.
    enum CodingKeys: String, CodingKey {
        case committedTokens, draftedTokens, acceptedDrafts, rounds, draftedByPosition, acceptedByPosition
        case exitLayerCounts, layerEvaluations, promptTokens, prefillSeconds, decodeSeconds, layerCount, tuner
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(committedTokens, forKey: .committedTokens)
        try c.encode(draftedTokens, forKey: .draftedTokens)
        try c.encode(acceptedDrafts, forKey: .acceptedDrafts)
        try c.encode(rounds, forKey: .rounds)
        try c.encode(draftedByPosition, forKey: .draftedByPosition)
        try c.encode(acceptedByPosition, forKey: .acceptedByPosition)
        try c.encode(exitLayerCounts, forKey: .exitLayerCounts)
        try c.encode(layerEvaluations, forKey: .layerEvaluations)
        try c.encode(promptTokens, forKey: .promptTokens)
        try c.encode(prefillSeconds, forKey: .prefillSeconds)
        try c.encode(decodeSeconds, forKey: .decodeSeconds)
        try c.encode(layerCount, forKey: .layerCount)
        try c.encodeIfPresent(tuner, forKey: .tuner)
    }
}

/// Why a generation ended.
public enum FinishReason: String, Sendable, Codable {
    /// The model produced EOS or the template's end-of-turn token.
    case endOfTurn
    /// The token limit was reached.
    case maxTokens
    /// The context window is full.
    case contextFull
    /// Stopped by the user (knobs.requestStop()).
    case stopped
}

/// The decoder's event stream. Text rule for a UI: keep a committed text and a provisional text.
/// `.draft` appends `token.text` to the provisional text; `.verified` first deletes the last
/// `retractedBytes` bytes of the provisional text (the rejected drafts' characters), moves what is
/// left of it to the committed text (those are the accepted drafts), then appends the verifier
/// token's text. `.committed` (autoregressive mode) appends to the committed text.
public enum DecoderEvent: Sendable {
    /// Generation began; the prompt has `promptTokens` tokens.
    case started(promptTokens: Int)
    /// Prefill in progress: `done` of `total` prompt positions after `seconds`; sent after each
    /// prefill chunk once prefill has taken more than a second.
    case prefilling(done: Int, total: Int, seconds: Double)
    /// Prefill of the prompt is done.
    case prefilled(tokens: Int, seconds: Double)
    /// A draft token was proposed.
    case draft(TokenEvent)
    /// The verifier answered a round.
    case verified(round: RoundSummary, accepted: [TokenEvent], rejected: [TokenEvent],
                  verifierToken: TokenEvent?, retractedBytes: Int)
    /// A token was committed without drafting (autoregressive mode).
    case committed(TokenEvent)
    /// Running statistics, after every round.
    case stats(DecodingStats)
    /// Generation ended; `tokens` are the committed token ids.
    case finished(reason: FinishReason, tokens: [Int32], stats: DecodingStats)
}
