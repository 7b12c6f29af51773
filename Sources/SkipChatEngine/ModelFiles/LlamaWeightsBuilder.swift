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
    /// Added to every norm weight (`Architecture.huggingFaceNormOffset` for Hugging Face files, 0 for GGUF).
    var normOffset: Float = 0

    /// The weights, and whether the LM head is the token embedding: true when `tieRequested`
    /// or when the file has no LM head tensor. Throws naming the first missing or misshapen tensor.
    func build(tieRequested: Bool) throws(ModelLoadError) -> (weights: LlamaWeights, tied: Bool) {
        let c = config
        let embedding = try matrix(names.tokenEmbedding, rows: c.vocabSize, cols: c.hiddenSize)
        let layers = try (0..<c.layerCount).map { i throws(ModelLoadError) in try layer(i) }
        let finalNorm = try vector(names.finalNorm, count: c.hiddenSize, norm: true)
        let tied = tieRequested || tensors[names.lmHead] == nil
        let head = tied ? embedding : try matrix(names.lmHead, rows: c.vocabSize, cols: c.hiddenSize)
        return (LlamaWeights(tokenEmbedding: embedding, layers: layers, finalNorm: finalNorm, lmHead: head), tied)
    }

    /// Layer `i`'s weights, with what its family declares: Q/K/V biases (required when declared,
    /// else taken when present), Q/K norms, post-norms, fused projections split by rows.
    private func layer(_ i: Int) throws(ModelLoadError) -> LlamaLayerWeights {
        let c = config, family = c.architecture
        let q = c.headCount * c.headDim, kv = c.kvHeadCount * c.headDim
        let query, key, value, gate, up: WeightTensor
        if family.fusedProjections {
            let qkv = try matrix(names.layer(i, .fusedQKV), rows: q + 2 * kv, cols: c.hiddenSize)
            (query, key, value) = (qkv.rows(0, q), qkv.rows(q, kv), qkv.rows(q + kv, kv))
            let gateUp = try matrix(names.layer(i, .fusedGateUp), rows: 2 * c.ffnSize, cols: c.hiddenSize)
            (gate, up) = (gateUp.rows(0, c.ffnSize), gateUp.rows(c.ffnSize, c.ffnSize))
        } else {
            query = try matrix(names.layer(i, .query), rows: q, cols: c.hiddenSize)
            key = try matrix(names.layer(i, .key), rows: kv, cols: c.hiddenSize)
            value = try matrix(names.layer(i, .value), rows: kv, cols: c.hiddenSize)
            gate = try matrix(names.layer(i, .gate), rows: c.ffnSize, cols: c.hiddenSize)
            up = try matrix(names.layer(i, .up), rows: c.ffnSize, cols: c.hiddenSize)
        }
        let biases = family.attentionBiases || tensors[names.layer(i, .queryBias)] != nil
        return LlamaLayerWeights(
            attentionNorm: try vector(names.layer(i, .attentionNorm), count: c.hiddenSize, norm: true),
            query: query, key: key, value: value,
            output: try matrix(names.layer(i, .output), rows: c.hiddenSize, cols: q),
            ffnNorm: try vector(names.layer(i, .ffnNorm), count: c.hiddenSize, norm: true),
            gate: gate, up: up,
            down: try matrix(names.layer(i, .down), rows: c.hiddenSize, cols: c.ffnSize),
            queryBias: biases ? try vector(names.layer(i, .queryBias), count: q) : nil,
            keyBias: biases ? try vector(names.layer(i, .keyBias), count: kv) : nil,
            valueBias: biases ? try vector(names.layer(i, .valueBias), count: kv) : nil,
            queryNorm: family.queryKeyNorm ? try vector(names.layer(i, .queryNorm), count: c.headDim, norm: true) : nil,
            keyNorm: family.queryKeyNorm ? try vector(names.layer(i, .keyNorm), count: c.headDim, norm: true) : nil,
            postAttentionNorm: family.postNorms ? try vector(names.layer(i, .postAttentionNorm), count: c.hiddenSize, norm: true) : nil,
            postFFNNorm: family.postNorms ? try vector(names.layer(i, .postFFNNorm), count: c.hiddenSize, norm: true) : nil)
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

    /// A norm weight or bias, as F32: stored as [count] (or as a single row [1, count]) in a
    /// float type. Norm weights get `normOffset` added (Gemma's (1 + w) in Hugging Face files).
    private func vector(_ name: String, count: Int, norm: Bool = false) throws(ModelLoadError) -> WeightTensor {
        let t = try tensor(name)
        guard t.shape == [count] || t.shape == [1, count] else {
            throw ModelLoadError(file: file, "tensor '\(name)' has shape \(Self.text(t.shape)) but the config needs \(count) values")
        }
        guard t.type.blockSize == 1 else {
            throw ModelLoadError(file: file, "tensor '\(name)' has type \(t.type); norms and biases must be F32, F16 or BF16")
        }
        return norms.float32(t.weight, offset: norm ? normOffset : 0)
    }

    private static func text(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }
}

extension WeightTensor {
    /// Rows start ..< start + count of this matrix, as a view of the same bytes (every row of
    /// every type is a whole number of blocks). Precondition: the rows exist.
    func rows(_ start: Int, _ count: Int) -> WeightTensor {
        precondition(start >= 0 && count >= 0 && start + count <= rows)
        return WeightTensor(name: name, type: type, rows: count, cols: cols, data: data + start * rowBytes)
    }
}
