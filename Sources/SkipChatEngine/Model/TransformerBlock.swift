import CKernels

/// One pre-norm decoder block, the unit every layer of the model and the draft block share
/// (Llama: Touvron et al. 2023, arXiv 2302.13971; the order of llama2.c's `forward`):
///
///     x = x + Wo · attention(rope(Wq·n), rope(Wk·n), Wv·n),  n = norm(x; attentionNorm)
///     x = x + Wdown · (act(Wgate·n) ⊙ Wup·n),                n = norm(x; ffnNorm)
///
/// The norm, activation and RoPE pairing come from the model's `Architecture`. Attention is
/// causal GQA over the block's slot of a KV cache (layer `layer` of `cache`, rows
/// [position][kvHeads · headDim] of the cache's type; keys and values are rounded into it before
/// attention reads them, so a batch reads its own keys as later steps will); cache lengths are
/// the caller's to keep.
struct TransformerBlock {
    let weights: LlamaLayerWeights
    let shape: BlockShape
    let architecture: Architecture
    let ropeStyle: RoPEStyle
    /// headDim/2 RoPE inverse frequencies (`ropeInverseFrequencies`).
    let inverseFrequencies: [Float]
    let normEpsilon: Float
    let pool: ThreadPool
    let cache: KVCache
    let layer: Int

    /// Where the batch's keys and values come from.
    enum KeysValues {
        /// Computed with the queries and written into the cache slot at rows start ..< start + count.
        case compute
        /// Already in the slot (`storeKeysValues`); only the queries are computed.
        case cached
    }

    /// Runs the block in place on `batch.hidden` ([count × hidden]), attending to cached
    /// positions 0 … position of each row. Precondition: the slot has room for
    /// start + count positions (`KVCache.reserve`).
    func run(_ batch: Batch, keysValues: KeysValues) {
        let s = batch.scratch, T = batch.count
        let normed = Rows(s.normed, width: shape.hidden)
        let query = Rows(s.query, width: shape.qWidth)
        let projected = Rows(s.projected, width: shape.hidden)

        normalize(batch.hidden, weight: weights.attentionNorm, count: T, into: normed)
        let q = weights.query.job(into: query)
        let jobs = keysValues == .cached ? [q] : [q, weights.key.job(into: keyRows(batch)), weights.value.job(into: valueRows(batch))]
        jobs.withUnsafeBufferPointer { sc_matmul(pool.raw, $0.baseAddress, Int32($0.count), s.normed, Int64(shape.hidden), Int32(T)) }
        rotate(query, heads: shape.headCount, batch)
        if keysValues == .compute { storeRotated(batch) }
        sc_attention(pool.raw, s.attended, s.query, cache.keys(layer), cache.values(layer), cache.type.code,
                     Int32(shape.headCount), Int32(shape.kvHeadCount), Int32(shape.headDim), Int32(T), Int32(batch.start),
                     0, 1 / Float(shape.headDim).squareRoot())
        var o = weights.output.job(into: projected)
        sc_matmul(pool.raw, &o, 1, s.attended, Int64(shape.qWidth), Int32(T))
        sc_add(batch.hidden.base, s.projected, Int64(T * shape.hidden))

        normalize(batch.hidden, weight: weights.ffnNorm, count: T, into: normed)
        let gateUp = [weights.gate.job(into: Rows(s.gate, width: shape.ffnSize)), weights.up.job(into: Rows(s.up, width: shape.ffnSize))]
        gateUp.withUnsafeBufferPointer { sc_matmul(pool.raw, $0.baseAddress, 2, s.normed, Int64(shape.hidden), Int32(T)) }
        switch architecture.activation {
        case .silu: sc_silu_mul(s.gate, s.up, Int64(T * shape.ffnSize))
        }
        var down = weights.down.job(into: projected)
        sc_matmul(pool.raw, &down, 1, s.gate, Int64(shape.ffnSize), Int32(T))
        sc_add(batch.hidden.base, s.projected, Int64(T * shape.hidden))
    }

    /// Writes the keys and values of the batch's rows (not modified) into the cache slot at rows
    /// start ..< start + count, for a later `run(_, keysValues: .cached)`.
    func storeKeysValues(_ batch: Batch) {
        let s = batch.scratch
        normalize(batch.hidden, weight: weights.attentionNorm, count: batch.count, into: Rows(s.normed, width: shape.hidden))
        let kv = [weights.key.job(into: keyRows(batch)), weights.value.job(into: valueRows(batch))]
        kv.withUnsafeBufferPointer { sc_matmul(pool.raw, $0.baseAddress, 2, s.normed, Int64(shape.hidden), Int32(batch.count)) }
        storeRotated(batch)
    }

    /// RoPE on the batch's float32 keys, then both rounded into the cache slot at its positions.
    private func storeRotated(_ batch: Batch) {
        rotate(keyRows(batch), heads: shape.kvHeadCount, batch)
        cache.store(layer: layer, start: batch.start, count: batch.count, keys: batch.scratch.keys, values: batch.scratch.values)
    }

    /// Float32 keys and values of the batch, [count × kvWidth], before they go into the cache.
    private func keyRows(_ batch: Batch) -> Rows { Rows(batch.scratch.keys, width: shape.kvWidth) }
    private func valueRows(_ batch: Batch) -> Rows { Rows(batch.scratch.values, width: shape.kvWidth) }

    /// norm(x; weight) of `count` rows into `output`.
    private func normalize(_ x: Rows, weight: WeightTensor, count: Int, into output: Rows) {
        switch architecture.norm {
        case .rms:
            sc_rmsnorm(output.base, x.base, weight.data.assumingMemoryBound(to: Float.self), Int64(shape.hidden),
                       Int32(count), normEpsilon)
        }
    }

    /// RoPE on `heads` heads of each of the batch's rows of `x`, at the batch's positions.
    private func rotate(_ x: Rows, heads: Int, _ batch: Batch) {
        inverseFrequencies.withUnsafeBufferPointer { f in
            sc_rope(x.base, Int32(batch.count), Int32(heads), Int32(shape.headDim), batch.positions, f.baseAddress,
                    ropeStyle.rawValue)
        }
    }
}
