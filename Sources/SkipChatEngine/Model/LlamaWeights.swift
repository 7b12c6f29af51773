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
    /// F32 biases of the Q, K and V projections ([heads·headDim], [kvHeads·headDim] ×2), or nil (Qwen2).
    public var queryBias: WeightTensor?
    public var keyBias: WeightTensor?
    public var valueBias: WeightTensor?
    /// [headDim] RMSNorm weights applied to each query and key head before RoPE, or nil (Qwen3, Gemma 3).
    public var queryNorm: WeightTensor?
    public var keyNorm: WeightTensor?
    /// [hidden] RMSNorm weights applied to the attention and MLP outputs before they join the
    /// residual stream, or nil (Gemma 3).
    public var postAttentionNorm: WeightTensor?
    public var postFFNNorm: WeightTensor?

    public init(attentionNorm: WeightTensor, query: WeightTensor, key: WeightTensor, value: WeightTensor,
                output: WeightTensor, ffnNorm: WeightTensor, gate: WeightTensor, up: WeightTensor,
                down: WeightTensor, queryBias: WeightTensor? = nil, keyBias: WeightTensor? = nil,
                valueBias: WeightTensor? = nil, queryNorm: WeightTensor? = nil, keyNorm: WeightTensor? = nil,
                postAttentionNorm: WeightTensor? = nil, postFFNNorm: WeightTensor? = nil) {
        self.attentionNorm = attentionNorm
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.ffnNorm = ffnNorm
        self.gate = gate
        self.up = up
        self.down = down
        self.queryBias = queryBias
        self.keyBias = keyBias
        self.valueBias = valueBias
        self.queryNorm = queryNorm
        self.keyNorm = keyNorm
        self.postAttentionNorm = postAttentionNorm
        self.postFFNNorm = postFFNNorm
    }

    /// The seven matrices, in the order q, k, v, o, gate, up, down.
    public var matrices: [WeightTensor] { [query, key, value, output, gate, up, down] }

    /// Every vector weight the layer has: norms and biases.
    public var vectors: [WeightTensor] {
        [attentionNorm, ffnNorm] + [queryBias, keyBias, valueBias, queryNorm, keyNorm, postAttentionNorm, postFFNNorm].compactMap { $0 }
    }
}

/// All weights of a model, shape-checked against its `LlamaConfig`.
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
