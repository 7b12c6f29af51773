import CKernels
import Foundation

/// Keys and values of every layer for every committed position, in elements of `type`.
///
/// Layout per layer: [position][kvHeads · headDim], row-major. The K/V projections of T new
/// positions are computed in float32 and rounded into rows start ..< start+T (`store`). Each
/// layer keeps its own length because a draft writes layers [0, E) only; `truncate(to:)` rolls
/// every layer back to the committed length after a round. Capacity grows with the context
/// actually used (doubling, in steps of at least 256 positions), never beyond `maxPositions`.
public final class KVCache {
    public let layerCount: Int
    /// Elements per position per layer (kvHeads · headDim).
    public let rowWidth: Int
    /// Largest number of positions the cache may hold (the model's context length at most).
    public let maxPositions: Int
    public let type: KVCacheType
    /// Positions the buffers can hold now.
    public private(set) var capacity: Int = 0
    /// Positions filled in each layer.
    public private(set) var lengths: [Int]
    private var keys: [UnsafeMutableRawPointer] = []
    private var values: [UnsafeMutableRawPointer] = []

    public init(layerCount: Int, rowWidth: Int, maxPositions: Int, type: KVCacheType = .active) {
        self.layerCount = layerCount
        self.rowWidth = rowWidth
        self.maxPositions = maxPositions
        self.type = type
        lengths = Array(repeating: 0, count: layerCount)
    }

    deinit {
        keys.forEach { free($0) }
        values.forEach { free($0) }
    }

    /// Bytes the keys and values of `positions` positions take in every layer.
    public func bytes(positions: Int) -> Int { Self.bytes(positions: positions, layers: layerCount, rowWidth: rowWidth, type: type) }

    /// Bytes of a cache of `layers` layers of `rowWidth` elements of `type` per position.
    public static func bytes(positions: Int, layers: Int, rowWidth: Int, type: KVCacheType) -> Int {
        2 * positions * layers * rowWidth * type.elementSize
    }

    /// Makes room for `positions` positions in every layer, keeping the contents.
    /// Precondition: positions ≤ maxPositions, and memory for them (the process stops with a
    /// line naming the bytes when it runs out; check `bytes(positions:)` first to avoid that).
    public func reserve(_ positions: Int) {
        precondition(positions <= maxPositions, "KV cache: \(positions) positions exceed the context length \(maxPositions)")
        guard positions > capacity else { return }
        let newCapacity = min(maxPositions, max(positions, capacity * 2, 256))
        let size = newCapacity * rowWidth * type.elementSize
        for l in 0..<layerCount {
            guard let k = malloc(size), let v = malloc(size) else {
                fatalError("KV cache: cannot allocate \(bytes(positions: newCapacity)) bytes for \(newCapacity) positions")
            }
            if capacity > 0 {
                let used = lengths[l] * rowWidth * type.elementSize
                k.copyMemory(from: keys[l], byteCount: used)
                v.copyMemory(from: values[l], byteCount: used)
                free(keys[l])
                free(values[l])
                keys[l] = k
                values[l] = v
            } else {
                keys.append(k)
                values.append(v)
            }
        }
        capacity = newCapacity
    }

    /// Keys of `layer`, [capacity][rowWidth] elements of `type`.
    func keys(_ layer: Int) -> UnsafeMutableRawPointer { keys[layer] }
    /// Values of `layer`, [capacity][rowWidth] elements of `type`.
    func values(_ layer: Int) -> UnsafeMutableRawPointer { values[layer] }

    /// Rounds `count` rows of float32 keys and values ([count × rowWidth] each) into rows
    /// start ..< start + count of `layer`. Precondition: start + count ≤ capacity.
    func store(layer: Int, start: Int, count: Int, keys k: UnsafePointer<Float>, values v: UnsafePointer<Float>) {
        precondition(start + count <= capacity)
        let offset = start * rowWidth * type.elementSize, n = Int64(count * rowWidth)
        sc_kv_store(keys[layer] + offset, k, n, type.code)
        sc_kv_store(values[layer] + offset, v, n, type.code)
    }

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
