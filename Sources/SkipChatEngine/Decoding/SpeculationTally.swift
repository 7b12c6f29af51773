/// What speculation did, tallied from round outcomes: drafts and acceptances by draft position,
/// and committed tokens by exit layer. The one implementation of acceptance by position, the
/// exit-layer histogram and the mean exit layer: the decoder's `DecodingStats`, the chat's live
/// statistics and a saved session's export all count through it.
public struct SpeculationTally: Sendable, Equatable {
    /// draftedByPosition[i]: drafts proposed as the (i+1)-th of their round.
    public private(set) var draftedByPosition: [Int] = []
    /// acceptedByPosition[i]: of those, how many the verifier accepted.
    public private(set) var acceptedByPosition: [Int] = []
    /// exitLayerCounts[l − 1]: committed tokens whose logits came from layer l (1 … L).
    public private(set) var exitLayerCounts: [Int]

    /// An empty tally for a model of `layerCount` layers.
    public init(layerCount: Int) {
        exitLayerCounts = Array(repeating: 0, count: max(0, layerCount))
    }

    /// Records a round that drafted `drafted` tokens and accepted the first `accepted` of them.
    public mutating func recordRound(drafted: Int, accepted: Int) {
        for i in 0..<drafted { recordDraft(index: i, accepted: i < accepted) }
    }

    /// Records one draft, the `index`-th (0-based) of its round.
    public mutating func recordDraft(index: Int, accepted: Bool) {
        while draftedByPosition.count <= index {
            draftedByPosition.append(0)
            acceptedByPosition.append(0)
        }
        draftedByPosition[index] += 1
        if accepted { acceptedByPosition[index] += 1 }
    }

    /// Records a committed token that exited at `exitLayer` (clamped to 1 … L).
    public mutating func recordCommitted(exitLayer: Int) {
        guard !exitLayerCounts.isEmpty else { return }
        exitLayerCounts[min(max(exitLayer, 1), exitLayerCounts.count) - 1] += 1
    }

    /// Adds `other`'s counts (lists grow to the longer of the two).
    public mutating func add(_ other: SpeculationTally) {
        Self.add(other.draftedByPosition, to: &draftedByPosition)
        Self.add(other.acceptedByPosition, to: &acceptedByPosition)
        Self.add(other.exitLayerCounts, to: &exitLayerCounts)
    }

    /// The sum of two tallies.
    public func adding(_ other: SpeculationTally) -> SpeculationTally {
        var sum = self
        sum.add(other)
        return sum
    }

    private static func add(_ counts: [Int], to total: inout [Int]) {
        if total.count < counts.count { total += Array(repeating: 0, count: counts.count - total.count) }
        for (i, n) in counts.enumerated() { total[i] += n }
    }

    /// Drafts proposed.
    public var draftedTokens: Int { draftedByPosition.reduce(0, +) }
    /// Drafts accepted.
    public var acceptedDrafts: Int { acceptedByPosition.reduce(0, +) }

    /// Accepted ÷ drafted (nil: nothing drafted).
    public var acceptanceRate: Double? {
        let drafted = draftedTokens
        return drafted == 0 ? nil : Double(acceptedDrafts) / Double(drafted)
    }

    /// Acceptance of the (i+1)-th draft of a round (nil: never drafted there).
    public var acceptanceByPosition: [Double?] {
        zip(acceptedByPosition, draftedByPosition).map { $1 == 0 ? nil : Double($0) / Double($1) }
    }

    /// Mean exit layer of committed tokens, Σ l · count(l) ÷ Σ count(l) (nil: none committed).
    public var meanExitLayer: Double? {
        let total = exitLayerCounts.reduce(0, +)
        guard total > 0 else { return nil }
        return Double(exitLayerCounts.enumerated().reduce(0) { $0 + ($1.offset + 1) * $1.element }) / Double(total)
    }
}
