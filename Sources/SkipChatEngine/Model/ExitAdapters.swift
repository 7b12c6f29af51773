/// Per-exit-layer affine maps that carry an early layer's residual stream towards the last
/// layer's before the shared final norm and head ("tuned lens", Belrose et al. 2023, arXiv
/// 2303.08112): h' = W·h + b. They change drafts only — verification runs the full model — so
/// self-speculative output stays exact.
public final class ExitAdapters: @unchecked Sendable {
    /// One exit layer's map. `weight` is [hidden, hidden] ([out, in], row-major) F32.
    public struct Adapter: Sendable {
        public let weight: WeightTensor
        /// [hidden]
        public let bias: [Float]
    }

    public let hiddenSize: Int
    /// Adapters by exit layer (1 … L−1).
    public let adapters: [Int: Adapter]
    /// Where they were loaded from (shown to the user).
    public let source: String
    private let storage: [UnsafeMutablePointer<Float>]

    /// - Parameters:
    ///   - maps: exit layer → (weight [hidden × hidden] row-major [out][in], bias [hidden]).
    /// - Precondition: every weight has hidden² values and every bias hidden values.
    public init(hiddenSize: Int, maps: [Int: (weight: [Float], bias: [Float])], source: String) {
        self.hiddenSize = hiddenSize
        self.source = source
        var storage: [UnsafeMutablePointer<Float>] = []
        var adapters: [Int: Adapter] = [:]
        for (layer, map) in maps {
            precondition(map.weight.count == hiddenSize * hiddenSize && map.bias.count == hiddenSize)
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: map.weight.count)
            buffer.initialize(from: map.weight, count: map.weight.count)
            storage.append(buffer)
            adapters[layer] = Adapter(weight: WeightTensor(name: "exit_adapter.\(layer).weight", type: .f32, rows: hiddenSize,
                                                           cols: hiddenSize, data: UnsafeRawPointer(buffer)),
                                      bias: map.bias)
        }
        self.adapters = adapters
        self.storage = storage
    }

    deinit { storage.forEach { $0.deallocate() } }
}

/// A reduced-vocabulary draft head: the LM head rows of the `ids` most likely to be drafted
/// (e.g. the most frequent tokens of a calibration corpus). Drafting over N ≪ vocab rows makes a
/// draft step cheaper; verification keeps the full head, so greedy output is unchanged and
/// speculative sampling stays exact (the draft distribution is a proper distribution over `ids`).
public final class DraftHead: @unchecked Sendable {
    /// Vocabulary ids of the rows, in row order.
    public let ids: [Int32]
    /// [ids.count, hidden] in the LM head's storage type.
    public let weight: WeightTensor
    private let storage: UnsafeMutableRawPointer

    /// Copies rows `ids` of `head`. Precondition: every id < head.rows.
    public init(head: WeightTensor, ids: [Int32]) {
        self.ids = ids
        let rowBytes = head.rowBytes
        storage = .allocate(byteCount: max(1, ids.count * rowBytes), alignment: 64)
        for (row, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < head.rows)
            (storage + row * rowBytes).copyMemory(from: head.data + Int(id) * rowBytes, byteCount: rowBytes)
        }
        weight = WeightTensor(name: "draft_head", type: head.type, rows: ids.count, cols: head.cols, data: UnsafeRawPointer(storage))
    }

    deinit { storage.deallocate() }
}
