/// Keys and values of every layer for every committed position, float32.
///
/// Layout per layer: [position][kvHeads · headDim], row-major, so the K/V projections of T new
/// positions are written straight into rows start ..< start+T. Each layer keeps its own length
/// because a draft writes layers [0, E) only; `truncate(to:)` rolls every layer back to the
/// committed length after a round. Capacity grows with the context actually used (doubling, in
/// steps of at least 256 positions), never beyond the model's context length.
public final class KVCache {
    public let layerCount: Int
    /// Floats per position per layer (kvHeads · headDim).
    public let rowWidth: Int
    /// Largest number of positions the cache may hold (the model's context length).
    public let maxPositions: Int
    /// Positions the buffers can hold now.
    public private(set) var capacity: Int = 0
    /// Positions filled in each layer.
    public private(set) var lengths: [Int]
    private var keys: [UnsafeMutablePointer<Float>] = []
    private var values: [UnsafeMutablePointer<Float>] = []

    public init(layerCount: Int, rowWidth: Int, maxPositions: Int) {
        self.layerCount = layerCount
        self.rowWidth = rowWidth
        self.maxPositions = maxPositions
        lengths = Array(repeating: 0, count: layerCount)
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    /// Makes room for `positions` positions in every layer, keeping the contents.
    /// Precondition: positions ≤ maxPositions.
    public func reserve(_ positions: Int) {
        precondition(positions <= maxPositions, "KV cache: \(positions) positions exceed the context length \(maxPositions)")
        guard positions > capacity else { return }
        let newCapacity = min(maxPositions, max(positions, capacity * 2, 256))
        let count = newCapacity * rowWidth
        for l in 0..<layerCount {
            let k = UnsafeMutablePointer<Float>.allocate(capacity: count)
            let v = UnsafeMutablePointer<Float>.allocate(capacity: count)
            if capacity > 0 {
                k.update(from: keys[l], count: lengths[l] * rowWidth)
                v.update(from: values[l], count: lengths[l] * rowWidth)
                keys[l].deallocate()
                values[l].deallocate()
                keys[l] = k
                values[l] = v
            } else {
                keys.append(k)
                values.append(v)
            }
        }
        capacity = newCapacity
    }

    /// Keys of `layer`, [capacity][rowWidth].
    func keys(_ layer: Int) -> UnsafeMutablePointer<Float> { keys[layer] }
    /// Values of `layer`, [capacity][rowWidth].
    func values(_ layer: Int) -> UnsafeMutablePointer<Float> { values[layer] }

    /// Records that `layer` now holds positions 0 ..< length.
    func setLength(_ length: Int, layer: Int) {
        precondition(length <= capacity)
        lengths[layer] = length
    }

    /// Rolls every layer back to at most `length` positions (rejected drafts are forgotten).
    public func truncate(to length: Int) {
        for l in 0..<layerCount where lengths[l] > length { lengths[l] = length }
    }
}

extension KVCache {
    /// Rolls the layers in `layers` back to at most `length` positions.
    public func truncate(layers: Range<Int>, to length: Int) {
        for l in layers where lengths[l] > length { setLength(length, layer: l) }
    }
}
