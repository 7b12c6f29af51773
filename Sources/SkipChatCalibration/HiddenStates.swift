import SkipChatEngine
/// Residual streams of a model over token sequences, after chosen layers and after the last.
struct HiddenStates {
    let hiddenSize: Int
    /// Positions collected (the same for every layer).
    private(set) var rows = 0
    /// Layer l (1 … L; l = L is the final residual stream before the final norm) → [rows × hidden].
    private(set) var byLayer: [Int: [Float]]

    init(hiddenSize: Int, layers: [Int]) {
        self.hiddenSize = hiddenSize
        byLayer = Dictionary(uniqueKeysWithValues: layers.map { ($0, []) })
    }

    /// Runs `sequences` through every layer of `model` (each from position 0, with a fresh cache)
    /// and keeps, at the scored positions, the residual stream after each layer in `layers`
    /// (1-based: after l layers) and after the last layer.
    ///
    /// - Parameter progress: called after each sequence with the positions collected so far.
    static func collect(model: LlamaModel, sequences: [CalibrationSequence], layers: [Int],
                        progress: (Int) -> Void = { _ in }) -> HiddenStates {
        let config = model.config
        let d = config.hiddenSize
        let keep = Set(layers + [config.layerCount])
        var states = HiddenStates(hiddenSize: d, layers: Array(keep))
        let longest = sequences.map(\.tokens.count).max() ?? 0
        guard longest > 1 else { return states }
        let batch = 64
        let forward = ForwardPass(model: model, maxBatch: batch, maxPositions: longest)
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: batch * d)
        defer { rows.deallocate() }
        for sequence in sequences where sequence.scoredCount > 0 {
            let tokens = sequence.tokens
            let end = sequence.scored.last?.upperBound ?? 0
            forward.cache.truncate(to: 0)
            var start = 0
            while start < end {
                let n = min(batch, end - start)
                forward.embed(tokens[start..<start + n], into: rows)
                let wanted = sequence.scored.map { $0.clamped(to: start..<(start + n)) }.filter { !$0.isEmpty }
                for l in 0..<config.layerCount {
                    forward.runLayers(l..<(l + 1), hidden: rows, count: n, startPosition: start)
                    guard keep.contains(l + 1) else { continue }
                    for range in wanted {
                        states.byLayer[l + 1, default: []].append(
                            contentsOf: UnsafeBufferPointer(start: rows + (range.lowerBound - start) * d, count: range.count * d))
                    }
                }
                states.rows += wanted.reduce(0) { $0 + $1.count }
                start += n
            }
            progress(states.rows)
        }
        return states
    }

    /// Rows `range` of every layer: layer → [range.count × hidden].
    func rows(_ range: Range<Int>) -> [Int: [Float]] {
        byLayer.mapValues { Array($0[(range.lowerBound * hiddenSize)..<(range.upperBound * hiddenSize)]) }
    }
}
