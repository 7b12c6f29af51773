/// A processed next-token distribution: the candidates that survive temperature, top-k, top-p
/// and min-p, with probabilities that sum to 1. Sparse (ids + probabilities, most probable
/// first) because the filters usually keep a few hundred of the vocabulary.
public struct TokenDistribution: Sendable {
    /// Candidate token ids, most probable first.
    public var ids: [Int32]
    /// Probabilities of `ids`, same order, summing to 1.
    public var probabilities: [Float]

    public init(ids: [Int32], probabilities: [Float]) {
        self.ids = ids
        self.probabilities = probabilities
    }

    /// Probability of `id` (0 when it was filtered out).
    public func probability(of id: Int32) -> Float {
        guard let i = ids.firstIndex(of: id) else { return 0 }
        return probabilities[i]
    }

    /// Draws one id by inverse-CDF sampling with `u` uniform in [0, 1).
    public func sample(_ u: Float) -> Int32 {
        var acc: Float = 0
        for (i, p) in probabilities.enumerated() {
            acc += p
            if u < acc { return ids[i] }
        }
        return ids[probabilities.lastIndex(where: { $0 > 0 }) ?? 0]
    }

    /// The rejection distribution of speculative sampling, normalise(max(0, p − q))
    /// (Leviathan et al. 2023, Algorithm 1; Chen et al. 2023). nil when p ≤ q everywhere
    /// (cannot happen after a rejection unless p == q).
    public static func residual(_ p: TokenDistribution, minus q: TokenDistribution) -> TokenDistribution? {
        var qByID = [Int32: Float](minimumCapacity: q.ids.count)
        for (id, prob) in zip(q.ids, q.probabilities) { qByID[id] = prob }
        var ids: [Int32] = []
        var masses: [Float] = []
        for (id, prob) in zip(p.ids, p.probabilities) {
            let m = prob - (qByID[id] ?? 0)
            if m > 0 {
                ids.append(id)
                masses.append(m)
            }
        }
        let total = masses.reduce(0, +)
        guard total > 0 else { return nil }
        return TokenDistribution(ids: ids, probabilities: masses.map { $0 / total })
    }
}
