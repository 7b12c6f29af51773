/// One tensor of a synthetic model: where it goes in the GGUF file and how its bytes are made.
struct SyntheticTensor {
    enum Content {
        /// `SyntheticFill` random blocks, then the listed rows set to zero.
        case random(seed: UInt64, zeroRows: [Int])
        /// F32 values, written as they are.
        case values([Float])
    }

    let info: GGUFWriter.Tensor
    let content: Content

    /// Writes the tensor's `info.byteCount` bytes at `destination`.
    func fill(into destination: UnsafeMutableRawPointer) {
        switch content {
        case let .random(seed, zeroRows):
            let values = info.dimensions.reduce(1, *)
            SyntheticFill.random(info.type, blocks: values / info.type.blockSize, into: destination, seed: seed)
            let rowBytes = info.type.byteCount(values: info.dimensions[0]) ?? 0
            for row in zeroRows { (destination + row * rowBytes).initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes) }
        case let .values(values):
            values.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
    }
}

extension SyntheticSpec {
    /// The tensors in the order llama.cpp's converter writes them: token_embd, rope_freqs (llama3
    /// scaling only), then per block attn_norm, attn_q, attn_k, attn_v, attn_output, ffn_norm,
    /// ffn_gate, ffn_up, ffn_down, then output_norm and output (untied only). Matrix types follow
    /// `recipe`; norms are F32 ones. The output matrix's rows of the control tokens are zero, so
    /// their logit is exactly 0, below the largest of the other random logits: greedy decoding
    /// never ends a reply, and every run generates the tokens asked for.
    var tensors: [SyntheticTensor] {
        let c = config
        let d = c.hiddenSize, q = c.headCount * c.headDim, kv = c.kvHeadCount * c.headDim
        let controls = vocabulary.controlTokenIDs(vocabularySize: c.vocabSize)
        var index: UInt64 = 0
        var out: [SyntheticTensor] = []
        func matrix(_ name: String, _ m: SyntheticRecipe.Matrix, layer: Int, rows: Int, cols: Int, zeroRows: [Int] = []) {
            index += 1
            let type = recipe.type(of: m, layer: layer, layerCount: c.layerCount, tied: c.tiedEmbeddings)
            out.append(SyntheticTensor(info: GGUFWriter.Tensor(name: name, type: type, dimensions: [cols, rows]),
                                       content: .random(seed: seed &+ index &* 0x9E37_79B9_7F4A_7C15, zeroRows: zeroRows)))
        }
        func vector(_ name: String, _ values: [Float]) {
            out.append(SyntheticTensor(info: GGUFWriter.Tensor(name: name, type: .f32, dimensions: [values.count]), content: .values(values)))
        }
        let ones = [Float](repeating: 1, count: d)
        matrix("token_embd.weight", .tokenEmbedding, layer: 0, rows: c.vocabSize, cols: d, zeroRows: c.tiedEmbeddings ? controls : [])
        if let factors = c.ropeFrequencyFactors { vector(GGUFFile.ropeFactorsTensorName, factors) }
        for l in 0..<c.layerCount {
            vector("blk.\(l).attn_norm.weight", ones)
            matrix("blk.\(l).attn_q.weight", .query, layer: l, rows: q, cols: d)
            matrix("blk.\(l).attn_k.weight", .key, layer: l, rows: kv, cols: d)
            matrix("blk.\(l).attn_v.weight", .value, layer: l, rows: kv, cols: d)
            matrix("blk.\(l).attn_output.weight", .attentionOutput, layer: l, rows: d, cols: q)
            vector("blk.\(l).ffn_norm.weight", ones)
            matrix("blk.\(l).ffn_gate.weight", .gate, layer: l, rows: c.ffnSize, cols: d)
            matrix("blk.\(l).ffn_up.weight", .up, layer: l, rows: c.ffnSize, cols: d)
            matrix("blk.\(l).ffn_down.weight", .down, layer: l, rows: d, cols: c.ffnSize)
        }
        vector("output_norm.weight", ones)
        if !c.tiedEmbeddings { matrix("output.weight", .output, layer: 0, rows: c.vocabSize, cols: d, zeroRows: controls) }
        return out
    }

    /// Bytes of all tensors (the weights), without the GGUF header.
    public var weightBytes: Int { tensors.reduce(0) { $0 + $1.info.byteCount } }
}
