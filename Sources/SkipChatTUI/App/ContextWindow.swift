/// The chat's context policy: when the conversation outgrows the context window, the oldest
/// exchanges are left out (whole exchanges, so the kept history starts with a user message) and
/// the system prompt always stays.
enum ContextWindow {
    /// Positions kept free for the reply when choosing the turns: `min(maxTokens, limit / 4)`,
    /// at least 1.
    static func replyReserve(maxTokens: Int, limit: Int) -> Int { max(1, min(maxTokens, limit / 4)) }

    /// The index of the first turn the model sees: the earliest user turn (or 0) whose prompt —
    /// the system prompt plus `turns[k...]`, `promptLength` tokens long — leaves `reserve`
    /// positions of `limit` free; the last user turn when none does (the prompt may then be too
    /// long, which generation reports).
    ///
    /// - Parameter hint: the previous answer. As a conversation grows the answer never moves back,
    ///   so the search starts there unless the exchange before it fits again (after /clear, /load
    ///   or /system).
    static func firstKeptTurn(_ turns: [SessionMessage], limit: Int, reserve: Int, hint: Int,
                              promptLength: (ArraySlice<SessionMessage>) -> Int) -> Int {
        let starts = turns.indices.filter { $0 == 0 || turns[$0].role == .user }
        guard let last = starts.last else { return 0 }
        func fits(_ k: Int) -> Bool { promptLength(turns[k...]) + reserve <= limit }
        var from = 0
        if let h = starts.lastIndex(where: { $0 <= hint }), h > 0, !fits(starts[h - 1]) { from = h }
        return starts[from...].first(where: fits) ?? last
    }
}

extension ContextWindow {
    /// Smallest context window `--context` accepts.
    static let minimumLength = 16

    /// `context` checked against the model's context; nil gives the model's.
    /// - Throws: `ConfigError` naming the range when `context` is outside 16 … `modelContext`.
    static func validated(_ context: Int?, modelContext: Int) throws -> Int {
        guard let context else { return modelContext }
        guard (minimumLength...modelContext).contains(context) else {
            throw ConfigError(description: "--context must be between \(minimumLength) and the model's context, \(modelContext) (got \(context))")
        }
        return context
    }
}
