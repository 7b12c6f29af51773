/// Weights of one transformer layer, as the forward pass uses them.
/// Matrix shapes are [rows, cols] = [out, in] (see `WeightTensor`).
public struct LlamaLayerWeights: Sendable {
    /// [hidden] RMSNorm weight before attention.
    public var attentionNorm: WeightTensor
    /// [heads·headDim, hidden]
    public var query: WeightTensor
    /// [kvHeads·headDim, hidden]
    public var key: WeightTensor
    /// [kvHeads·headDim, hidden]
    public var value: WeightTensor
    /// [hidden, heads·headDim]
    public var output: WeightTensor
    /// [hidden] RMSNorm weight before the MLP.
    public var ffnNorm: WeightTensor
    /// [ffn, hidden]
    public var gate: WeightTensor
    /// [ffn, hidden]
    public var up: WeightTensor
    /// [hidden, ffn]
    public var down: WeightTensor

    public init(attentionNorm: WeightTensor, query: WeightTensor, key: WeightTensor, value: WeightTensor,
                output: WeightTensor, ffnNorm: WeightTensor, gate: WeightTensor, up: WeightTensor,
                down: WeightTensor) {
        self.attentionNorm = attentionNorm
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.ffnNorm = ffnNorm
        self.gate = gate
        self.up = up
        self.down = down
    }

    /// The seven matrices, in the order q, k, v, o, gate, up, down.
    public var matrices: [WeightTensor] { [query, key, value, output, gate, up, down] }
}

/// All weights of a Llama model, shape-checked against its `LlamaConfig`.
public struct LlamaWeights: Sendable {
    /// [vocab, hidden]
    public var tokenEmbedding: WeightTensor
    public var layers: [LlamaLayerWeights]
    /// [hidden] final RMSNorm weight (shared by every exit layer).
    public var finalNorm: WeightTensor
    /// [vocab, hidden]; the token embedding itself when embeddings are tied.
    public var lmHead: WeightTensor

    public init(tokenEmbedding: WeightTensor, layers: [LlamaLayerWeights], finalNorm: WeightTensor,
                lmHead: WeightTensor) {
        self.tokenEmbedding = tokenEmbedding
        self.layers = layers
        self.finalNorm = finalNorm
        self.lmHead = lmHead
    }
}
