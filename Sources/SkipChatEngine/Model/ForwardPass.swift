import CKernels

/// The state of one generation over a `LlamaModel`: its KV cache, the model's transformer
/// blocks bound to their cache slots, the draft block with its own slot, the exit settings and
/// the scratch every block shares. The math lives in `TransformerBlock` (one layer) and
/// `OutputHead` (final norm and head, shared by every exit layer: LayerSkip §4). Use from one
/// thread at a time.
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
            scratch = BlockScratch(maxBatch: maxBatch, shapes: [config.blockShape] + (draftBlock.map { [$0.shape] } ?? []))
            // The draft block is a plain Llama block (SwiGLU, global attention) at the model's
            // RoPE (DraftBlock).
            draftTransformer = draftBlock.map {
                TransformerBlock(weights: $0.weights, shape: $0.shape, norm: config.architecture.norm, activation: .silu,
                                 ropeStyle: config.ropeStyle, inverseFrequencies: model.inverseFrequencies,
                                 attentionScale: 1 / Float($0.shape.headDim).squareRoot(), window: 0,
                                 normEpsilon: config.rmsNormEps, pool: model.pool,
                                 cache: KVCache(layerCount: 1, rowWidth: $0.shape.kvWidth, maxPositions: cache.maxPositions, type: cache.type),
                                 layer: 0)
            }
        }
    }

    private let config: LlamaConfig
    private let head: OutputHead
    /// Layer l of the model, bound to layer l of `cache`.
    private var blocks: [TransformerBlock] = []
    /// The draft block, bound to its own one-layer cache (an entry per position whose layer-E
    /// state was computed).
    private var draftTransformer: TransformerBlock?
    private var scratch: BlockScratch
    /// [maxBatch × hidden]: the output of an exit adapter or of the draft block.
    private let exitRows: RowBuffer

    /// - Parameters:
    ///   - maxBatch: largest number of positions per call (verification needs depth + 1).
    ///   - maxPositions: context limit; defaults to the model's context length.
    ///   - kvType: element type of the KV caches (the model's and the draft block's).
    public init(model: LlamaModel, maxBatch: Int = 32, maxPositions: Int? = nil, kvType: KVCacheType = .active) {
        self.model = model
        config = model.config
        self.maxBatch = maxBatch
        cache = KVCache(layerCount: config.layerCount, rowWidth: config.blockShape.kvWidth,
                        maxPositions: min(maxPositions ?? config.contextLength, config.contextLength), type: kvType)
        head = OutputHead(finalNorm: model.weights.finalNorm, architecture: config.architecture,
                          normEpsilon: config.rmsNormEps, hidden: config.hiddenSize, softcap: config.finalLogitSoftcap,
                          pool: model.pool)
        scratch = BlockScratch(maxBatch: maxBatch, shapes: [config.blockShape])
        exitRows = RowBuffer(capacity: maxBatch, width: config.hiddenSize)
        blocks = model.weights.layers.enumerated().map { l, w in
            let sliding = config.slidingLayers[l]
            return TransformerBlock(weights: w, shape: config.blockShape, norm: config.architecture.norm,
                                    activation: config.architecture.activation, ropeStyle: config.ropeStyle,
                                    inverseFrequencies: sliding ? model.slidingInverseFrequencies : model.inverseFrequencies,
                                    attentionScale: config.attentionScale, window: sliding ? config.slidingWindow : 0,
                                    normEpsilon: config.rmsNormEps, pool: model.pool, cache: cache, layer: l)
        }
    }

    /// Writes the embeddings of `tokens` into `hidden` ([tokens.count × hidden]), scaled as the
    /// architecture declares. Precondition: every id < vocabSize.
    public func embed(_ tokens: some Collection<Int32>, into hidden: UnsafeMutablePointer<Float>) {
        let table = model.weights.tokenEmbedding
        let rows = Rows(hidden, width: config.hiddenSize)
        for (t, id) in tokens.enumerated() {
            precondition(id >= 0 && Int(id) < table.rows, "token id \(id) outside the vocabulary")
            sc_dequantize_row(Int32(table.type.rawValue), table.rowData(Int(id)), rows.row(t), Int64(table.cols))
            switch config.architecture.embeddingScale {
            case .none: break
            case .squareRootOfHidden:
                let scale = Float(config.hiddenSize).squareRoot()
                for i in 0..<config.hiddenSize { rows.row(t)[i] *= scale }
            }
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
        let batch = Batch(hidden: Rows(hidden, width: config.hiddenSize), count: count, start: startPosition, scratch: scratch)
        for l in layers {
            precondition(cache.lengths[l] == startPosition,
                         "layer \(l) holds \(cache.lengths[l]) positions, expected \(startPosition)")
            blocks[l].run(batch, keysValues: .compute)
            cache.setLength(startPosition + count, layer: l)
            if let draft = draftTransformer, l + 1 == draftBlock?.exitLayer { storeKeysValues(of: batch, in: draft) }
        }
    }

    /// The draft block's keys and values for the batch's positions, from their layer-E states;
    /// its entries from the batch's start on are replaced.
    private func storeKeysValues(of batch: Batch, in draft: TransformerBlock) {
        let slot = draft.cache
        precondition(slot.lengths[0] >= batch.start,
                     "draft block cache holds \(slot.lengths[0]) positions, position \(batch.start) follows a gap")
        slot.truncate(to: batch.start)
        slot.reserve(batch.start + batch.count)
        draft.storeKeysValues(batch)
        slot.setLength(batch.start + batch.count, layer: 0)
    }

    /// Rolls the KV caches (the model's and the draft block's) back to at most `length` positions.
    public func truncate(to length: Int) {
        cache.truncate(to: length)
        draftTransformer?.cache.truncate(to: length)
    }

    /// Rolls layers `layers` back to at most `length` positions, and the draft block's cache with
    /// its exit layer's.
    public func truncate(layers: Range<Int>, to length: Int) {
        cache.truncate(layers: layers, to: length)
        if let draft = draftTransformer, let e = draftBlock?.exitLayer, layers.contains(e - 1) { draft.cache.truncate(to: length) }
    }

    /// Final RMSNorm of `count` hidden states into `normedOut` ([count × hidden]); `hidden` is unchanged.
    public func finalNorm(hidden: UnsafePointer<Float>, count: Int, into normedOut: UnsafeMutablePointer<Float>) {
        head.normalize(hidden, count: count, into: normedOut)
    }

    /// Exit logits: final RMSNorm + LM head applied to `count` hidden states (after any layer).
    ///
    /// - Parameters:
    ///   - hidden: [count × hidden]; not modified.
    ///   - logits: [count × vocab] output.
    public func logits(hidden: UnsafePointer<Float>, count: Int, into logits: UnsafeMutablePointer<Float>) {
        precondition(count >= 1 && count <= maxBatch)
        head.normalize(hidden, count: count, into: scratch.normed)
        head.project(scratch.normed, count: count, head: model.weights.lmHead, into: logits)
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
        let d = config.hiddenSize
        var input = hidden
        if let draft = draftTransformer, draftBlock?.exitLayer == exitLayer {
            // The block's output for positions from `position` on: attention over its cached
            // entries 0 … position (written when layer E − 1 ran) and the MLP.
            precondition(draft.cache.lengths[0] >= position + count,
                         "draft block cache holds \(draft.cache.lengths[0]) positions, needs \(position + count)")
            exitRows.rows.base.update(from: hidden, count: count * d)
            draft.run(Batch(hidden: exitRows.rows, count: count, start: position, scratch: scratch), keysValues: .cached)
            input = UnsafePointer(exitRows.rows.base)
        } else if let adapter = exitAdapters?.adapters[exitLayer] {
            var map = adapter.weight.job(into: exitRows.rows)
            sc_matmul(model.pool.raw, &map, 1, hidden, Int64(d), Int32(count))
            adapter.bias.withUnsafeBufferPointer { b in
                for t in 0..<count { sc_add(exitRows.row(t), b.baseAddress, Int64(d)) }
            }
            input = UnsafePointer(exitRows.rows.base)
        }
        head.normalize(input, count: count, into: scratch.normed)
        head.project(scratch.normed, count: count, head: draftHead?.weight ?? model.weights.lmHead, into: logits)
        return draftHead?.ids
    }

    /// Columns of `draftLogits`' output.
    public var draftCandidates: Int { draftHead?.ids.count ?? model.weights.lmHead.rows }

    /// Runs `tokens` through every layer at positions starting at `startPosition`, in chunks of
    /// `maxBatch`, filling the KV cache (every layer must hold exactly `startPosition` positions).
    /// No logits are computed. `afterChunk` gets the number of tokens done after each chunk.
    public func prefill(_ tokens: ArraySlice<Int32>, startPosition: Int, afterChunk: (Int) -> Void = { _ in }) {
        let scratch = RowBuffer(capacity: maxBatch, width: config.hiddenSize)
        var start = startPosition
        var offset = tokens.startIndex
        while offset < tokens.endIndex {
            let n = min(maxBatch, tokens.endIndex - offset)
            embed(tokens[offset..<offset + n], into: scratch.rows.base)
            runLayers(0..<config.layerCount, hidden: scratch.rows.base, count: n, startPosition: start)
            start += n
            offset += n
            afterChunk(offset - tokens.startIndex)
        }
    }
}
