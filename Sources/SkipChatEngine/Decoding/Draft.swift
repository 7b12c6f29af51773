/// One drafted token of a round.
struct Draft {
    let token: Int32
    /// The text it added to the provisional reply (empty for an end-of-turn token).
    let text: String
    /// Layer (1 … L−1) whose hidden state drafted it.
    let exitLayer: Int
    /// The processed draft distribution q it was sampled from (nil when drafting greedily).
    let distribution: TokenDistribution?
}

/// What verification decided about a round's drafts.
struct Outcome {
    let drafts: [Draft]
    /// Drafts accepted: a prefix of `drafts`.
    let accepted: Int
    /// The verifier's token at the first rejection, or the bonus token after a fully accepted
    /// round; nil only when every draft was accepted and the last one ends the turn.
    let verifierToken: Int32?
    /// The layer verification started from (the shallowest exit of the round).
    let verifiedFrom: Int
}
