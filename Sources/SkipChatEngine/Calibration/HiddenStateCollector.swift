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

    /// Runs `sequences` through every layer of `model` (each sequence from position 0, with a fresh
    /// cache) and keeps the residual stream after each layer in `layers` (1-based: after l layers)
    /// and after the last layer. The first position of each sequence is skipped: it is never drafted,
    /// and its outlier activations (attention sink) would dominate a least-squares fit.
    ///
    /// - Parameter progress: called after each sequence with the positions collected so far.
    static func collect(model: LlamaModel, sequences: [[Int32]], layers: [Int],
                        progress: (Int) -> Void = { _ in }) -> HiddenStates {
        let config = model.config
        let d = config.hiddenSize
        let keep = Set(layers + [config.layerCount])
        var states = HiddenStates(hiddenSize: d, layers: Array(keep))
        let longest = sequences.map(\.count).max() ?? 0
        guard longest > 1 else { return states }
        let batch = 64
        let forward = ForwardPass(model: model, maxBatch: batch, maxPositions: longest)
        let rows = UnsafeMutablePointer<Float>.allocate(capacity: batch * d)
        defer { rows.deallocate() }
        for sequence in sequences where sequence.count > 1 {
            forward.cache.truncate(to: 0)
            var start = 0
            while start < sequence.count {
                let n = min(batch, sequence.count - start)
                forward.embed(sequence[start..<start + n], into: rows)
                let skip = start == 0 ? 1 : 0
                for l in 0..<config.layerCount {
                    forward.runLayers(l..<(l + 1), hidden: rows, count: n, startPosition: start)
                    if keep.contains(l + 1) {
                        states.byLayer[l + 1, default: []].append(contentsOf: UnsafeBufferPointer(start: rows + skip * d, count: (n - skip) * d))
                    }
                }
                states.rows += n - skip
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
