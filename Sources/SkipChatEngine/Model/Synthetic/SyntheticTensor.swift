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
    /// scaling only), then per block attn_norm, attn_q, attn_k, attn_v (Phi-3: attn_qkv), their
    /// biases (Qwen2), Q/K norms (Qwen3, Gemma 3), attn_output, post_attention_norm (Gemma 3),
    /// ffn_norm, ffn_gate, ffn_up (Phi-3: gate and up in ffn_up), ffn_down, post_ffw_norm
    /// (Gemma 3), then output_norm and output (untied only). Biases are small fixed values. Matrix types follow
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
        let family = c.architecture
        let ones = [Float](repeating: 1, count: d), headOnes = [Float](repeating: 1, count: c.headDim)
        func bias(_ name: String, _ count: Int) { vector(name, (0..<count).map { Float($0 % 7) * 0.01 }) }
        matrix("token_embd.weight", .tokenEmbedding, layer: 0, rows: c.vocabSize, cols: d, zeroRows: c.tiedEmbeddings ? controls : [])
        if let factors = c.ropeFrequencyFactors { vector(GGUFFile.ropeFactorsTensorName, factors) }
        for l in 0..<c.layerCount {
            vector("blk.\(l).attn_norm.weight", ones)
            if family.fusedProjections {
                matrix("blk.\(l).attn_qkv.weight", .query, layer: l, rows: q + 2 * kv, cols: d)
            } else {
                matrix("blk.\(l).attn_q.weight", .query, layer: l, rows: q, cols: d)
                matrix("blk.\(l).attn_k.weight", .key, layer: l, rows: kv, cols: d)
                matrix("blk.\(l).attn_v.weight", .value, layer: l, rows: kv, cols: d)
            }
            if family.attentionBiases {
                bias("blk.\(l).attn_q.bias", q)
                bias("blk.\(l).attn_k.bias", kv)
                bias("blk.\(l).attn_v.bias", kv)
            }
            if family.queryKeyNorm {
                vector("blk.\(l).attn_q_norm.weight", headOnes)
                vector("blk.\(l).attn_k_norm.weight", headOnes)
            }
            matrix("blk.\(l).attn_output.weight", .attentionOutput, layer: l, rows: d, cols: q)
            if family.postNorms { vector("blk.\(l).post_attention_norm.weight", ones) }
            vector("blk.\(l).ffn_norm.weight", ones)
            if family.fusedProjections {
                matrix("blk.\(l).ffn_up.weight", .up, layer: l, rows: 2 * c.ffnSize, cols: d)
            } else {
                matrix("blk.\(l).ffn_gate.weight", .gate, layer: l, rows: c.ffnSize, cols: d)
                matrix("blk.\(l).ffn_up.weight", .up, layer: l, rows: c.ffnSize, cols: d)
            }
            matrix("blk.\(l).ffn_down.weight", .down, layer: l, rows: d, cols: c.ffnSize)
            if family.postNorms { vector("blk.\(l).post_ffw_norm.weight", ones) }
        }
        vector("output_norm.weight", ones)
        if !c.tiedEmbeddings { matrix("output.weight", .output, layer: 0, rows: c.vocabSize, cols: d, zeroRows: controls) }
        return out
    }

    /// Bytes of all tensors (the weights), without the GGUF header.
    public var weightBytes: Int { tensors.reduce(0) { $0 + $1.info.byteCount } }
}
