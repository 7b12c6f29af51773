import CKernels

/// Runs a `DraftBlock` for one `ForwardPass`: owns the block's KV cache (one layer, an entry per
/// position whose layer-E state was computed) and its scratch buffers. Use from the forward
/// pass's thread only.
final class DraftBlockRunner {
    let block: DraftBlock
    /// The block's keys and values, [position][kvHeads · headDim].
    let cache: KVCache
    private let model: LlamaModel
    private let maxBatch: Int
    private let x: UnsafeMutablePointer<Float>          // [maxBatch × hidden]
    private let normed: UnsafeMutablePointer<Float>     // [maxBatch × hidden]
    private let query: UnsafeMutablePointer<Float>      // [maxBatch × qWidth]
    private let attended: UnsafeMutablePointer<Float>   // [maxBatch × qWidth]
    private let projected: UnsafeMutablePointer<Float>  // [maxBatch × hidden]
    private let gate: UnsafeMutablePointer<Float>       // [maxBatch × ffn]
    private let up: UnsafeMutablePointer<Float>         // [maxBatch × ffn]
    private let positions: UnsafeMutablePointer<Int32>  // [maxBatch]

    init(block: DraftBlock, model: LlamaModel, maxBatch: Int, maxPositions: Int) {
        self.block = block
        self.model = model
        self.maxBatch = maxBatch
        let s = block.shape
        cache = KVCache(layerCount: 1, rowWidth: s.kvWidth, maxPositions: maxPositions)
        x = .allocate(capacity: maxBatch * s.hidden)
        normed = .allocate(capacity: maxBatch * s.hidden)
        query = .allocate(capacity: maxBatch * s.qWidth)
        attended = .allocate(capacity: maxBatch * s.qWidth)
        projected = .allocate(capacity: maxBatch * s.hidden)
        gate = .allocate(capacity: maxBatch * s.ffnSize)
        up = .allocate(capacity: maxBatch * s.ffnSize)
        positions = .allocate(capacity: maxBatch)
    }

    deinit {
        [x, normed, query, attended, projected, gate, up].forEach { $0.deallocate() }
        positions.deallocate()
    }

    /// Writes the block's keys and values for `count` positions from `startPosition` on, from their
    /// layer-E states `hidden` ([count × hidden]); entries from `startPosition` on are replaced.
    /// Precondition: the cache holds at least `startPosition` positions.
    func appendKeysValues(hidden: UnsafePointer<Float>, count: Int, startPosition: Int) {
        precondition(cache.lengths[0] >= startPosition,
                     "draft block cache holds \(cache.lengths[0]) positions, position \(startPosition) follows a gap")
        let s = block.shape
        cache.truncate(to: startPosition)
        cache.reserve(startPosition + count)
        let keys = cache.keys(0) + startPosition * s.kvWidth
        sc_rmsnorm(normed, hidden, block.attentionNorm, Int64(s.hidden), Int32(count), model.config.rmsNormEps)
        let kv = [job(block.key, into: keys, stride: s.kvWidth),
                  job(block.value, into: cache.values(0) + startPosition * s.kvWidth, stride: s.kvWidth)]
        kv.withUnsafeBufferPointer { sc_matmul(model.pool.raw, $0.baseAddress, 2, normed, Int64(s.hidden), Int32(count)) }
        setPositions(startPosition, count)
        model.inverseFrequencies.withUnsafeBufferPointer { f in
            sc_rope(keys, Int32(count), Int32(s.kvHeadCount), Int32(s.headDim), positions, f.baseAddress,
                    model.config.ropeStyle.rawValue)
        }
        cache.setLength(startPosition + count, layer: 0)
    }

    /// The block's output for `count` positions from `startPosition` on: their layer-E states
    /// `hidden` ([count × hidden], not modified) through attention over cached positions
    /// 0 … position and the MLP. Their KV entries must be cached already (`appendKeysValues`).
    /// - Returns: [count × hidden], valid until the next call.
    func run(hidden: UnsafePointer<Float>, count: Int, startPosition: Int) -> UnsafePointer<Float> {
        precondition(count >= 1 && count <= maxBatch)
        precondition(cache.lengths[0] >= startPosition + count,
                     "draft block cache holds \(cache.lengths[0]) positions, needs \(startPosition + count)")
        let s = block.shape
        let pool = model.pool.raw
        let eps = model.config.rmsNormEps
        x.update(from: hidden, count: count * s.hidden)
        sc_rmsnorm(normed, x, block.attentionNorm, Int64(s.hidden), Int32(count), eps)
        var q = job(block.query, into: query, stride: s.qWidth)
        sc_matmul(pool, &q, 1, normed, Int64(s.hidden), Int32(count))
        setPositions(startPosition, count)
        model.inverseFrequencies.withUnsafeBufferPointer { f in
            sc_rope(query, Int32(count), Int32(s.headCount), Int32(s.headDim), positions, f.baseAddress,
                    model.config.ropeStyle.rawValue)
        }
        sc_attention(pool, attended, query, cache.keys(0), cache.values(0), Int32(s.headCount), Int32(s.kvHeadCount),
                     Int32(s.headDim), Int32(count), Int32(startPosition), 1 / Float(s.headDim).squareRoot())
        var o = job(block.output, into: projected, stride: s.hidden)
        sc_matmul(pool, &o, 1, attended, Int64(s.qWidth), Int32(count))
        sc_add(x, projected, Int64(count * s.hidden))

        sc_rmsnorm(normed, x, block.ffnNorm, Int64(s.hidden), Int32(count), eps)
        let gateUp = [job(block.gate, into: gate, stride: s.ffnSize), job(block.up, into: up, stride: s.ffnSize)]
        gateUp.withUnsafeBufferPointer { sc_matmul(pool, $0.baseAddress, 2, normed, Int64(s.hidden), Int32(count)) }
        sc_silu_mul(gate, up, Int64(count * s.ffnSize))
        var d = job(block.down, into: projected, stride: s.hidden)
        sc_matmul(pool, &d, 1, gate, Int64(s.ffnSize), Int32(count))
        sc_add(x, projected, Int64(count * s.hidden))
        return UnsafePointer(x)
    }

    private func setPositions(_ start: Int, _ count: Int) {
        for t in 0..<count { positions[t] = Int32(start + t) }
    }

    private func job(_ w: WeightTensor, into y: UnsafeMutablePointer<Float>, stride: Int) -> sc_matmul_job {
        sc_matmul_job(type: Int32(w.type.rawValue), w: w.data, rows: Int64(w.rows), cols: Int64(w.cols),
                      y: y, y_stride: Int64(stride))
    }
}
