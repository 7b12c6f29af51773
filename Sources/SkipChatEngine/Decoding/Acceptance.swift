/// Outcome of verifying one round's drafts.
struct AcceptanceResult: Equatable {
    /// Number of drafts accepted (a prefix of the drafts).
    var accepted: Int
    /// The verifier's token: at the first rejection, or the bonus token when every draft was
    /// accepted. nil only when every draft was accepted and the last one ends the turn.
    var verifierToken: Int32?
}

/// Greedy acceptance (LayerSkip §4.2 / Leviathan et al. 2023 with argmax): the longest prefix of
/// drafts equal to the verifier's argmax, then the verifier's own argmax at the first mismatch
/// (or the bonus position).
///
/// - Parameters:
///   - drafts: k draft ids; drafts[i] was proposed for the position verified by row i.
///   - verifierArgmax: argmax of verifier rows 0 … k−1, plus row k when `hasBonusRow`.
func acceptGreedy(drafts: [Int32], verifierArgmax: [Int32], hasBonusRow: Bool) -> AcceptanceResult {
    var m = 0
    while m < drafts.count && verifierArgmax[m] == drafts[m] { m += 1 }
    if m < drafts.count { return AcceptanceResult(accepted: m, verifierToken: verifierArgmax[m]) }
    return AcceptanceResult(accepted: m, verifierToken: hasBonusRow ? verifierArgmax[m] : nil)
}

/// Speculative sampling (Leviathan et al. 2023, Algorithm 1; Chen et al. 2023): accept draft x
/// with probability min(1, p(x)/q(x)); at the first rejection sample from normalise(max(0, p − q));
/// after k acceptances sample the bonus token from p_k. The committed tokens are distributed
/// exactly as sampling from p alone.
///
/// - Parameters:
///   - drafts: k draft ids, drafts[i] sampled from draftDistributions[i].
///   - verifier: returns p_i, the processed verifier distribution of row i (called lazily, in order).
///   - hasBonusRow: whether row k exists (false when the last draft ended the turn).
func acceptSampled(drafts: [Int32], draftDistributions: [TokenDistribution], hasBonusRow: Bool,
                   verifier: (Int) -> TokenDistribution, rng: inout SeededGenerator) -> AcceptanceResult {
    for (i, x) in drafts.enumerated() {
        let p = verifier(i)
        let q = draftDistributions[i]
        let px = p.probability(of: x), qx = q.probability(of: x)
        if qx > 0 && rng.nextUnit() < min(1, px / qx) { continue }
        let residual = TokenDistribution.residual(p, minus: q) ?? p
        return AcceptanceResult(accepted: i, verifierToken: residual.sample(rng.nextUnit()))
    }
    guard hasBonusRow else { return AcceptanceResult(accepted: drafts.count, verifierToken: nil) }
    return AcceptanceResult(accepted: drafts.count, verifierToken: verifier(drafts.count).sample(rng.nextUnit()))
}
