import CKernels

/// Runs a `LlamaModel` over positions: embedding, any range of layers, and logits from any exit
/// layer through the shared final RMSNorm and LM head (LayerSkip §4: early exit uses the model's
/// own norm and head). Owns the KV cache and the scratch buffers of one generation; use it from
/// one thread at a time.
///
/// Hidden states are float32 rows of `hiddenSize`, one per position ([T × hidden], row-major).
/// T ≤ `maxBatch` per call; `prefill` splits longer inputs.
public final class ForwardPass {
    public let model: LlamaModel
    public let cache: KVCache
    /// Largest T of one `runLayers`/`logits` call.
    public let maxBatch: Int
    /// Exit adapters applied to draft exits (nil = raw early exit).
    public var exitAdapters: ExitAdapters?
    /// Reduced-vocabulary head for drafts (nil = the full LM head).
    public var draftHead: DraftHead?
    /// Draft block at its exit layer (nil = none); drafts at that layer go through it instead of
    /// an exit adapter. Set it before running any position: its KV cache needs an entry for
    /// every position, filled whenever the block's exit layer runs.
    public var draftBlock: DraftBlock? {
        didSet {
            precondition(cache.lengths.allSatisfy { $0 == 0 }, "set the draft block before running positions")
            blockRunner = draftBlock.map { DraftBlockRunner(block: $0, model: model, maxBatch: maxBatch, maxPositions: cache.maxPositions) }
        }
    }
    private var blockRunner: DraftBlockRunner?

    private let config: LlamaConfig
    private let qWidth: Int
    private let kvWidth: Int
    private let normed: UnsafeMutablePointer<Float>     // [maxBatch × hidden]
    private let query: UnsafeMutablePointer<Float>      // [maxBatch × qWidth]
    private let attended: UnsafeMutablePointer<Float>   // [maxBatch × qWidth]
    private let projected: UnsafeMutablePointer<Float>  // [maxBatch × hidden]
    private let gate: UnsafeMutablePointer<Float>       // [maxBatch × ffn]
    private let up: UnsafeMutablePointer<Float>         // [maxBatch × ffn]
    private let positions: UnsafeMutablePointer<Int32>  // [maxBatch]
    private let adapted: UnsafeMutablePointer<Float>    // [maxBatch × hidden]

    /// - Parameters:
    ///   - maxBatch: largest number of positions per call (verification needs depth + 1).
    ///   - maxPositions: context limit; defaults to the model's context length.
    public init(model: LlamaModel, maxBatch: Int = 32, maxPositions: Int? = nil) {
        self.model = model
        config = model.config
        self.maxBatch = maxBatch
        qWidth = config.headCount * config.headDim
        kvWidth = config.kvHeadCount * config.headDim
        cache = KVCache(layerCount: config.layerCount, rowWidth: kvWidth,
                        maxPositions: min(maxPositions ?? config.contextLength, config.contextLength))
        normed = .allocate(capacity: maxBatch * config.hiddenSize)
        query = .allocate(capacity: maxBatch * qWidth)
        attended = .allocate(capacity: maxBatch * qWidth)
        projected = .allocate(capacity: maxBatch * config.hiddenSize)
        gate = .allocate(capacity: maxBatch * config.ffnSize)
        up = .allocate(capacity: maxBatch * config.ffnSize)
        positions = .allocate(capacity: maxBatch)
        adapted = .allocate(capacity: maxBatch * config.hiddenSize)
    }

    deinit {
        normed.deallocate()
        query.deallocate()
        attended.deallocate()
        projected.deallocate()
        gate.deallocate()
        up.deallocate()
        positions.deallocate()
        adapted.deallocate()
    }

    /// Writes the embeddings of `tokens` into `hidden` ([tokens.count × hidden]).
    /// Precondition: every id < vocabSize.
    public func embed(_ tokens: some Collection<Int32>, into hidden: UnsafeMutablePointer<Float>) {
        let table = model.weights.tokenEmbedding
        for (t, id) in tokens.enumerated() {
            precondition(id >= 0 && Int(id) < table.rows, "token id \(id) outside the vocabulary")
            sc_dequantize_row(Int32(table.type.rawValue), table.data + Int(id) * table.rowBytes,
                              hidden + t * config.hiddenSize, Int64(table.cols))
        }
    }

    /// Runs layers `layers` (a sub-range of 0 ..< L) in place on the hidden states of `count`
    /// consecutive positions starting at `startPosition`, writing their keys and values into the
    /// cache. Every layer in the range must already hold exactly `startPosition` positions
    /// (truncate the cache first when re-running positions).
    ///
    /// - Parameter hidden: [count × hidden], the residual stream before layers.lowerBound; after
    ///   the call, the residual stream after layer layers.upperBound − 1.
    public func runLayers(_ layers: Range<Int>, hidden: UnsafeMutablePointer<Float>, count: Int, startPosition: Int) {
        precondition(count >= 1 && count <= maxBatch, "runLayers: count \(count) outside 1…\(maxBatch)")
        precondition(layers.lowerBound >= 0 && layers.upperBound <= config.layerCount)
        cache.reserve(startPosition + count)
        for t in 0..<count { positions[t] = Int32(startPosition + t) }
        for l in layers {
            precondition(cache.lengths[l] == startPosition,
                         "layer \(l) holds \(cache.lengths[l]) positions, expected \(startPosition)")
            runLayer(l, hidden: hidden, count: count, start: startPosition)
            cache.setLength(startPosition + count, layer: l)
            if let runner = blockRunner, l + 1 == runner.block.exitLayer {
                runner.appendKeysValues(hidden: hidden, count: count, startPosition: startPosition)
            }
        }
    }

    /// Rolls the KV caches (the model's and the draft block's) back to at most `length` positions.
    public func truncate(to length: Int) {
        cache.truncate(to: length)
        blockRunner?.cache.truncate(to: length)
    }

    /// Rolls layers `layers` back to at most `length` positions, and the draft block's cache with
    /// its exit layer's.
    public func truncate(layers: Range<Int>, to length: Int) {
        cache.truncate(layers: layers, to: length)
        if let runner = blockRunner, layers.contains(runner.block.exitLayer - 1) { runner.cache.truncate(to: length) }
    }

    private func runLayer(_ l: Int, hidden: UnsafeMutablePointer<Float>, count T: Int, start: Int) {
        let w = model.weights.layers[l]
        let d = config.hiddenSize
        let pool = model.pool.raw
        let keys = cache.keys(l), values = cache.values(l)

        // Attention block: x += Wo · attention(rope(Wq·n), rope(Wk·n), Wv·n), n = RMSNorm(x).
        sc_rmsnorm(normed, hidden, w.attentionNorm.data.assumingMemoryBound(to: Float.self), Int64(d), Int32(T), config.rmsNormEps)
        let qkv = [
            job(w.query, into: query, stride: qWidth),
            job(w.key, into: keys + start * kvWidth, stride: kvWidth),
            job(w.value, into: values + start * kvWidth, stride: kvWidth),
        ]
        qkv.withUnsafeBufferPointer { sc_matmul(pool, $0.baseAddress, 3, normed, Int64(d), Int32(T)) }
        let invFreq = model.inverseFrequencies
        invFreq.withUnsafeBufferPointer { f in
            sc_rope(query, Int32(T), Int32(config.headCount), Int32(config.headDim), positions, f.baseAddress, config.ropeStyle.rawValue)
            sc_rope(keys + start * kvWidth, Int32(T), Int32(config.kvHeadCount), Int32(config.headDim), positions, f.baseAddress, config.ropeStyle.rawValue)
        }
        sc_attention(pool, attended, query, keys, values, Int32(config.headCount), Int32(config.kvHeadCount),
                     Int32(config.headDim), Int32(T), Int32(start), 1 / Float(config.headDim).squareRoot())
        var o = job(w.output, into: projected, stride: d)
        sc_matmul(pool, &o, 1, attended, Int64(qWidth), Int32(T))
        sc_add(hidden, projected, Int64(T * d))

        // MLP block: x += Wdown · (silu(Wgate·n) ⊙ Wup·n), n = RMSNorm(x).
        sc_rmsnorm(normed, hidden, w.ffnNorm.data.assumingMemoryBound(to: Float.self), Int64(d), Int32(T), config.rmsNormEps)
        let gateUp = [job(w.gate, into: gate, stride: config.ffnSize), job(w.up, into: up, stride: config.ffnSize)]
        gateUp.withUnsafeBufferPointer { sc_matmul(pool, $0.baseAddress, 2, normed, Int64(d), Int32(T)) }
        sc_silu_mul(gate, up, Int64(T * config.ffnSize))
        var down = job(w.down, into: projected, stride: d)
        sc_matmul(pool, &down, 1, gate, Int64(config.ffnSize), Int32(T))
        sc_add(hidden, projected, Int64(T * d))
    }

    /// Final RMSNorm of `count` hidden states into `normedOut` ([count × hidden]); `hidden` is unchanged.
    public func finalNorm(hidden: UnsafePointer<Float>, count: Int, into normedOut: UnsafeMutablePointer<Float>) {
        sc_rmsnorm(normedOut, hidden, model.weights.finalNorm.data.assumingMemoryBound(to: Float.self),
                   Int64(config.hiddenSize), Int32(count), config.rmsNormEps)
    }

    /// Exit logits: final RMSNorm + LM head applied to `count` hidden states (after any layer).
    ///
    /// - Parameters:
    ///   - hidden: [count × hidden]; not modified.
    ///   - logits: [count × vocab] output.
    public func logits(hidden: UnsafePointer<Float>, count: Int, into logits: UnsafeMutablePointer<Float>) {
        precondition(count >= 1 && count <= maxBatch)
        finalNorm(hidden: hidden, count: count, into: normed)
        var head = job(model.weights.lmHead, into: logits, stride: model.weights.lmHead.rows)
        sc_matmul(model.pool.raw, &head, 1, normed, Int64(config.hiddenSize), Int32(count))
    }

    /// Draft logits of `count` hidden states taken after layer `exitLayer`, at consecutive
    /// positions from `position` on: the draft block when it sits at that layer (else the exit
    /// adapter of that layer, if any), the final RMSNorm, and the draft head (if any, else the
    /// full head).
    ///
    /// - Parameter logits: [count × candidates] output, candidates = `draftCandidates`.
    /// - Returns: the vocabulary ids of the logit columns, or nil when they are the whole
    ///   vocabulary in order.
    @discardableResult
    public func draftLogits(hidden: UnsafePointer<Float>, count: Int, exitLayer: Int, position: Int,
                            into logits: UnsafeMutablePointer<Float>) -> [Int32]? {
        precondition(count >= 1 && count <= maxBatch)
        var input = hidden
        if let runner = blockRunner, runner.block.exitLayer == exitLayer {
            input = runner.run(hidden: hidden, count: count, startPosition: position)
        } else if let adapter = exitAdapters?.adapters[exitLayer] {
            let d = config.hiddenSize
            var map = job(adapter.weight, into: adapted, stride: d)
            sc_matmul(model.pool.raw, &map, 1, hidden, Int64(d), Int32(count))
            adapter.bias.withUnsafeBufferPointer { b in
                for t in 0..<count { sc_add(adapted + t * d, b.baseAddress, Int64(d)) }
            }
            input = UnsafePointer(adapted)
        }
        finalNorm(hidden: input, count: count, into: normed)
        let head = draftHead?.weight ?? model.weights.lmHead
        var job = job(head, into: logits, stride: head.rows)
        sc_matmul(model.pool.raw, &job, 1, normed, Int64(config.hiddenSize), Int32(count))
        return draftHead?.ids
    }

    /// Columns of `draftLogits`' output.
    public var draftCandidates: Int { draftHead?.ids.count ?? model.weights.lmHead.rows }

    /// Runs `tokens` through every layer at positions starting at `startPosition`, in chunks of
    /// `maxBatch`, filling the KV cache (every layer must hold exactly `startPosition` positions).
    /// No logits are computed.
    public func prefill(_ tokens: ArraySlice<Int32>, startPosition: Int) {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: maxBatch * config.hiddenSize)
        defer { scratch.deallocate() }
        var start = startPosition
        var offset = tokens.startIndex
        while offset < tokens.endIndex {
            let n = min(maxBatch, tokens.endIndex - offset)
            embed(tokens[offset..<offset + n], into: scratch)
            runLayers(0..<config.layerCount, hidden: scratch, count: n, startPosition: start)
            start += n
            offset += n
        }
    }

    private func job(_ w: WeightTensor, into y: UnsafeMutablePointer<Float>, stride: Int) -> sc_matmul_job {
        sc_matmul_job(type: Int32(w.type.rawValue), w: w.data, rows: Int64(w.rows), cols: Int64(w.cols),
                      y: y, y_stride: Int64(stride))
    }
}
