import Foundation
import SkipChatBenchmark
import SkipChatEngine

extension ChatSession {
    /// `load(from:)` as a fuzz target (`skipchat bench fuzz`), seeded with a session as `save(to:)`
    /// writes it: system prompt, settings, a user turn and an assistant turn with its tokens.
    public static var fuzzTarget: FuzzTarget {
        let tokens = [SavedToken(id: 42, text: "Paris", exitLayer: 8, kind: .accepted, position: 17),
                      SavedToken(id: 7, text: " is", exitLayer: 30, kind: .verifier, position: 18),
                      SavedToken(id: 9, text: "!", exitLayer: 8, kind: .rejected, position: 19)]
        let session = ChatSession(model: "SmolLM2-135M-Instruct", systemPrompt: "Be brief.",
                                  settings: DecoderSettings(exitLayer: 8, depth: 4, maxExitLayer: 29),
                                  messages: [SessionMessage(role: .user, text: "Capital of France?"),
                                             SessionMessage(role: .assistant, text: "Paris is", tokens: tokens)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = (try? encoder.encode(session)) ?? Data()
        return FuzzTarget(name: "session", fileExtension: "json", seeds: [data], structureBytes: data.count, json: true) { path in
            _ = try ChatSession.load(from: path)
        }
    }
}
