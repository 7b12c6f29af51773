/// Assembles `LlamaWeights` from a file's tensors, checking that every weight the config needs
/// is present with exactly the shape the config implies. Norm weights come out as F32 (F16/BF16
/// norms are converted into `norms`); matrices stay in the file, in their stored type.
struct LlamaWeightsBuilder {
    let config: LlamaConfig
    let names: LlamaTensorNames
    let tensors: [String: StoredTensor]
    /// File named in errors.
    let file: String
    /// Owner of converted norm weights; keep it alive as long as the weights.
    let norms: NormWeights

    /// The weights, and whether the LM head is the token embedding: true when `tieRequested`
    /// or when the file has no LM head tensor. Throws naming the first missing or misshapen tensor.
    func build(tieRequested: Bool) throws(ModelLoadError) -> (weights: LlamaWeights, tied: Bool) {
        let c = config
        let embedding = try matrix(names.tokenEmbedding, rows: c.vocabSize, cols: c.hiddenSize)
        var layers: [LlamaLayerWeights] = []
        for i in 0..<c.layerCount {
            let q = c.headCount * c.headDim, kv = c.kvHeadCount * c.headDim
            layers.append(LlamaLayerWeights(
                attentionNorm: try vector(names.layer(i, .attentionNorm), count: c.hiddenSize),
                query: try matrix(names.layer(i, .query), rows: q, cols: c.hiddenSize),
                key: try matrix(names.layer(i, .key), rows: kv, cols: c.hiddenSize),
                value: try matrix(names.layer(i, .value), rows: kv, cols: c.hiddenSize),
                output: try matrix(names.layer(i, .output), rows: c.hiddenSize, cols: q),
                ffnNorm: try vector(names.layer(i, .ffnNorm), count: c.hiddenSize),
                gate: try matrix(names.layer(i, .gate), rows: c.ffnSize, cols: c.hiddenSize),
                up: try matrix(names.layer(i, .up), rows: c.ffnSize, cols: c.hiddenSize),
                down: try matrix(names.layer(i, .down), rows: c.hiddenSize, cols: c.ffnSize)))
        }
        let finalNorm = try vector(names.finalNorm, count: c.hiddenSize)
        let tied = tieRequested || tensors[names.lmHead] == nil
        let head = tied ? embedding : try matrix(names.lmHead, rows: c.vocabSize, cols: c.hiddenSize)
        return (LlamaWeights(tokenEmbedding: embedding, layers: layers, finalNorm: finalNorm, lmHead: head), tied)
    }

    private func tensor(_ name: String) throws(ModelLoadError) -> StoredTensor {
        guard let t = tensors[name] else { throw ModelLoadError(file: file, "tensor '\(name)' is missing") }
        return t
    }

    private func matrix(_ name: String, rows: Int, cols: Int) throws(ModelLoadError) -> WeightTensor {
        let t = try tensor(name)
        guard t.shape == [rows, cols] else {
            throw ModelLoadError(file: file, "tensor '\(name)' has shape \(Self.text(t.shape)) (rows×columns) but the config needs \(rows)×\(cols)")
        }
        return t.weight
    }

    /// A norm weight, as F32: stored as [count] (or as a single row [1, count]) in a float type.
    private func vector(_ name: String, count: Int) throws(ModelLoadError) -> WeightTensor {
        let t = try tensor(name)
        guard t.shape == [count] || t.shape == [1, count] else {
            throw ModelLoadError(file: file, "tensor '\(name)' has shape \(Self.text(t.shape)) but the config needs \(count) values")
        }
        guard t.type.blockSize == 1 else {
            throw ModelLoadError(file: file, "norm tensor '\(name)' has type \(t.type); norms must be F32, F16 or BF16")
        }
        return norms.float32(t.weight)
    }

    private static func text(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }
}
