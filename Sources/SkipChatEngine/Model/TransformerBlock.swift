import CKernels

/// One pre-norm decoder block, the unit every layer of the model and the draft block share
/// (Llama: Touvron et al. 2023, arXiv 2302.13971; the order of llama2.c's `forward`):
///
///     q, k, v = Wq·n + bq, Wk·n + bk, Wv·n + bv,  n = norm(x; attentionNorm)   (biases: Qwen2)
///     q, k = norm(q; queryNorm), norm(k; keyNorm) per head                    (Qwen3, Gemma 3)
///     x = x + post(Wo · attention(rope(q), rope(k), v))                        (post: Gemma 3's postAttentionNorm)
///     x = x + post(Wdown · (act(Wgate·n) ⊙ Wup·n)),  n = norm(x; ffnNorm)       (post: postFFNNorm)
///
/// The norm, activation and RoPE pairing come from the model's `Architecture`; the optional
/// weights are applied when the layer has them. Attention is causal GQA over the block's slot
/// of a KV cache (layer `layer` of `cache`, rows [position][kvHeads · headDim] of the cache's
/// type; keys and values are rounded into it before attention reads them, so a batch reads its
/// own keys as later steps will), with scores scaled by `attentionScale` and limited to the
/// last `window` positions when window > 0; cache lengths are the caller's to keep.
struct TransformerBlock {
    let weights: LlamaLayerWeights
    let shape: BlockShape
    let norm: Architecture.Norm
    let activation: Architecture.Activation
    let ropeStyle: RoPEStyle
    /// headDim/2 RoPE inverse frequencies (`ropeInverseFrequencies`).
    let inverseFrequencies: [Float]
    let attentionScale: Float
    /// Sliding window in positions (0 = none).
    let window: Int
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
    /// positions 0 … position of each row (the last `window` of them when window > 0).
    /// Precondition: the slot has room for start + count positions (`KVCache.reserve`).
    func run(_ batch: Batch, keysValues: KeysValues) {
        let s = batch.scratch, T = batch.count
        let normed = Rows(s.normed, width: shape.hidden)
        let query = Rows(s.query, width: shape.qWidth)
        let projected = Rows(s.projected, width: shape.hidden)

        normalize(batch.hidden.base, weight: weights.attentionNorm, width: shape.hidden, rows: T, into: normed.base)
        let q = weights.query.job(into: query)
        let jobs = keysValues == .cached ? [q] : [q, weights.key.job(into: keyRows(batch)), weights.value.job(into: valueRows(batch))]
        jobs.withUnsafeBufferPointer { sc_matmul(pool.raw, $0.baseAddress, Int32($0.count), s.normed, Int64(shape.hidden), Int32(T)) }
        prepare(query, bias: weights.queryBias, norm: weights.queryNorm, heads: shape.headCount, batch)
        if keysValues == .compute { storePrepared(batch) }
        sc_attention(pool.raw, s.attended, s.query, cache.keys(layer), cache.values(layer), cache.type.code,
                     Int32(shape.headCount), Int32(shape.kvHeadCount), Int32(shape.headDim), Int32(T), Int32(batch.start),
                     Int32(window), attentionScale)
        var o = weights.output.job(into: projected)
        sc_matmul(pool.raw, &o, 1, s.attended, Int64(shape.qWidth), Int32(T))
        addToStream(batch, postNorm: weights.postAttentionNorm)

        normalize(batch.hidden.base, weight: weights.ffnNorm, width: shape.hidden, rows: T, into: normed.base)
        let gateUp = [weights.gate.job(into: Rows(s.gate, width: shape.ffnSize)), weights.up.job(into: Rows(s.up, width: shape.ffnSize))]
        gateUp.withUnsafeBufferPointer { sc_matmul(pool.raw, $0.baseAddress, 2, s.normed, Int64(shape.hidden), Int32(T)) }
        switch activation {
        case .silu: sc_silu_mul(s.gate, s.up, Int64(T * shape.ffnSize))
        case .geluTanh: sc_gelu_tanh_mul(s.gate, s.up, Int64(T * shape.ffnSize))
        }
        var down = weights.down.job(into: projected)
        sc_matmul(pool.raw, &down, 1, s.gate, Int64(shape.ffnSize), Int32(T))
        addToStream(batch, postNorm: weights.postFFNNorm)
    }

    /// Writes the keys and values of the batch's rows (not modified) into the cache slot at rows
    /// start ..< start + count, for a later `run(_, keysValues: .cached)`.
    func storeKeysValues(_ batch: Batch) {
        let s = batch.scratch
        normalize(batch.hidden.base, weight: weights.attentionNorm, width: shape.hidden, rows: batch.count, into: s.normed)
        let kv = [weights.key.job(into: keyRows(batch)), weights.value.job(into: valueRows(batch))]
        kv.withUnsafeBufferPointer { sc_matmul(pool.raw, $0.baseAddress, 2, s.normed, Int64(shape.hidden), Int32(batch.count)) }
        storePrepared(batch)
    }

    /// Biases, K norm and RoPE of the batch's float32 keys (and the value bias), then both
    /// rounded into the cache slot at its positions.
    private func storePrepared(_ batch: Batch) {
        prepare(keyRows(batch), bias: weights.keyBias, norm: weights.keyNorm, heads: shape.kvHeadCount, batch)
        if let bias = weights.valueBias { addBias(bias, to: valueRows(batch), rows: batch.count) }
        cache.store(layer: layer, start: batch.start, count: batch.count, keys: batch.scratch.keys, values: batch.scratch.values)
    }

    /// Float32 keys and values of the batch, [count × kvWidth], before they go into the cache.
    private func keyRows(_ batch: Batch) -> Rows { Rows(batch.scratch.keys, width: shape.kvWidth) }
    private func valueRows(_ batch: Batch) -> Rows { Rows(batch.scratch.values, width: shape.kvWidth) }

    /// Adds `bias`, norms each head with `norm` and rotates `heads` heads of the batch's rows of `x`.
    private func prepare(_ x: Rows, bias: WeightTensor?, norm headNorm: WeightTensor?, heads: Int, _ batch: Batch) {
        if let bias { addBias(bias, to: x, rows: batch.count) }
        if let headNorm {
            normalize(x.base, weight: headNorm, width: shape.headDim, rows: batch.count * heads, into: x.base)
        }
        inverseFrequencies.withUnsafeBufferPointer { f in
            sc_rope(x.base, Int32(batch.count), Int32(heads), Int32(shape.headDim), batch.positions, f.baseAddress,
                    ropeStyle.rawValue)
        }
    }

    private func addBias(_ bias: WeightTensor, to x: Rows, rows: Int) {
        let b = bias.data.assumingMemoryBound(to: Float.self)
        for t in 0..<rows { sc_add(x.row(t), b, Int64(x.width)) }
    }

    /// hidden += projected, normed first with `postNorm` when the layer has one.
    private func addToStream(_ batch: Batch, postNorm: WeightTensor?) {
        let s = batch.scratch
        if let postNorm { normalize(s.projected, weight: postNorm, width: shape.hidden, rows: batch.count, into: s.projected) }
        sc_add(batch.hidden.base, s.projected, Int64(batch.count * shape.hidden))
    }

    /// norm(x; weight) of `rows` rows of `width` values into `output` (which may be `x`).
    private func normalize(_ x: UnsafePointer<Float>, weight: WeightTensor, width: Int, rows: Int,
                           into output: UnsafeMutablePointer<Float>) {
        switch norm {
        case .rms:
            sc_rmsnorm(output, x, weight.data.assumingMemoryBound(to: Float.self), Int64(width), Int32(rows), normEpsilon)
        }
    }
}
