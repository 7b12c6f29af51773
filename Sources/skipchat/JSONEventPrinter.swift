import Foundation
import SkipChatEngine

/// One JSON object per line per event. The last line is `{"event":"done", "tokens":[…],
/// "acceptance_rate":…, "tokens_per_second":…, …}`.
final class JSONEventPrinter: EventPrinter {
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()

    func handle(_ event: DecoderEvent) {
        let record: Record
        switch event {
        case let .started(promptTokens):
            record = Record(event: "started", promptTokens: promptTokens)
        case let .prefilling(done, total, seconds):
            record = Record(event: "prefilling", promptTokens: total, seconds: seconds, done: done)
        case let .prefilled(tokens, seconds):
            record = Record(event: "prefilled", promptTokens: tokens, seconds: seconds)
        case let .draft(token):
            record = Record(event: "draft", token: token)
        case let .verified(round, accepted, rejected, verifier, retracted):
            record = Record(event: "verified", round: round, accepted: accepted, rejected: rejected,
                            verifierToken: verifier, retractedBytes: retracted)
        case let .committed(token):
            record = Record(event: "token", token: token)
        case .stats:
            return
        case let .finished(reason, tokens, stats):
            record = Record(event: "done", reason: reason.rawValue, tokens: tokens, stats: stats,
                            acceptanceRate: stats.acceptanceRate, tokensPerSecond: stats.tokensPerSecond,
                            meanExitLayer: stats.meanExitLayer, relativeLayerCost: stats.relativeLayerCost)
        }
        guard let data = try? encoder.encode(record) else { return }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// The JSON shape of an event; nil fields are omitted.
    struct Record: Encodable {
        var event: String
        var promptTokens: Int?
        var seconds: Double?
        /// Prompt positions prefilled so far (`prefilling`).
        var done: Int?
        var token: TokenEvent?
        var round: RoundSummary?
        var accepted: [TokenEvent]?
        var rejected: [TokenEvent]?
        var verifierToken: TokenEvent?
        var retractedBytes: Int?
        var reason: String?
        var tokens: [Int32]?
        var stats: DecodingStats?
        var acceptanceRate: Double?
        var tokensPerSecond: Double?
        var meanExitLayer: Double?
        var relativeLayerCost: Double?
    }
}
