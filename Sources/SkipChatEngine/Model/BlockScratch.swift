/// Intermediate activations of one transformer block over up to `maxBatch` positions, shared by
/// every block a `ForwardPass` runs (the model's layers and the draft block, one at a time).
final class BlockScratch {
    let maxBatch: Int
    /// [maxBatch × hidden]: the normed residual stream (block input of each projection).
    let normed: UnsafeMutablePointer<Float>
    /// [maxBatch × qWidth]: queries, and the attention output.
    let query: UnsafeMutablePointer<Float>
    let attended: UnsafeMutablePointer<Float>
    /// [maxBatch × kvWidth]: keys and values in float32, before they are rounded into the cache.
    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    /// [maxBatch × hidden]: the output or down projection before it is added to the stream.
    let projected: UnsafeMutablePointer<Float>
    /// [maxBatch × ffn]: gate and up projections of the MLP.
    let gate: UnsafeMutablePointer<Float>
    let up: UnsafeMutablePointer<Float>
    /// [maxBatch]
    let positions: UnsafeMutablePointer<Int32>

    /// Scratch large enough for every shape in `shapes` (all with the same `hidden`).
    init(maxBatch: Int, shapes: [BlockShape]) {
        self.maxBatch = maxBatch
        let hidden = shapes.map(\.hidden).max() ?? 0
        let qWidth = shapes.map(\.qWidth).max() ?? 0
        let ffn = shapes.map(\.ffnSize).max() ?? 0
        let kvWidth = shapes.map(\.kvWidth).max() ?? 0
        normed = .allocate(capacity: maxBatch * hidden)
        query = .allocate(capacity: maxBatch * qWidth)
        attended = .allocate(capacity: maxBatch * qWidth)
        keys = .allocate(capacity: maxBatch * kvWidth)
        values = .allocate(capacity: maxBatch * kvWidth)
        projected = .allocate(capacity: maxBatch * hidden)
        gate = .allocate(capacity: maxBatch * ffn)
        up = .allocate(capacity: maxBatch * ffn)
        positions = .allocate(capacity: maxBatch)
    }

    deinit {
        [normed, query, attended, keys, values, projected, gate, up].forEach { $0.deallocate() }
        positions.deallocate()
    }
}
