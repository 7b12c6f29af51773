/// A trained draft block: one small transformer layer between exit layer E's residual stream
/// and the model's final RMSNorm + head, so that a shallow exit drafts what the remaining layers
/// would decide (Kangaroo, Liu et al. 2024, arXiv 2404.18911: a one-layer adapter on a shallow
/// sub-network; EAGLE, Li et al. 2024, arXiv 2401.15077: feature-level drafting).
///
///     x = h_E
///     x = x + Wo · attention(rope(Wq·n), rope(Wk·n), Wv·n),  n = RMSNorm(x; attentionNorm)
///     x = x + Wdown · (silu(Wgate·n) ⊙ Wup·n),               n = RMSNorm(x; ffnNorm)
///
/// The attention is causal GQA with RoPE exactly as the model's layers (same head size,
/// frequencies and rotation style) over the block's own KV cache of layer-E states. Its keys
/// and values depend only on the layer-E state of their position, so every position whose
/// layer E − 1 runs (prefill, plain steps, drafts, verification) gets its entry then. Drafts
/// only: verification runs the full model, so output stays exact.
///
/// Weights are stored BF16 (`[out, in]`, row-major), the norms F32.
public final class DraftBlock: @unchecked Sendable {
    /// Sizes of the block; `hidden` and `headDim` must be the model's.
    public typealias Shape = BlockShape

    /// Matrices of the block, in the order of the formula above.
    public static let matrixNames = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
    /// Norm weights ([hidden] each).
    public static let normNames = ["attn_norm", "ffn_norm"]

    /// The block reads the residual stream after this many layers (1 … L−1).
    public let exitLayer: Int
    public let shape: Shape
    /// The block's weights: matrices BF16, norms F32 (views into `storage`).
    let weights: LlamaLayerWeights
    private let storage: [UnsafeMutableRawPointer]

    /// - Parameters:
    ///   - matrices: name in `matrixNames` → values, row-major `shape.matrixShape(name)`.
    ///   - norms: name in `normNames` → [hidden].
    /// - Precondition: every tensor is present with the right count and `shape.problem` is nil
    ///   (`DraftSidecarFile.read` checks both before building a block).
    public init(exitLayer: Int, shape: Shape, matrices: [String: [Float]], norms: [String: [Float]]) {
        precondition(shape.problem == nil)
        self.exitLayer = exitLayer
        self.shape = shape
        var storage: [UnsafeMutableRawPointer] = []
        var tensors: [WeightTensor] = []
        for name in Self.matrixNames {
            let dims = shape.matrixShape(name)
            guard let values = matrices[name], values.count == dims[0] * dims[1] else {
                preconditionFailure("draft block: \(name) missing or of the wrong size")
            }
            let buffer = UnsafeMutablePointer<UInt16>.allocate(capacity: values.count)
            for (i, v) in values.enumerated() { buffer[i] = BFloat16.bits(v) }
            storage.append(UnsafeMutableRawPointer(buffer))
            tensors.append(WeightTensor(name: "draft_block.\(name).weight", type: .bf16, rows: dims[0], cols: dims[1],
                                        data: UnsafeRawPointer(buffer)))
        }
        var normTensors: [WeightTensor] = []
        for name in Self.normNames {
            guard let values = norms[name], values.count == shape.hidden else {
                preconditionFailure("draft block: norm weights missing or of the wrong size")
            }
            let buffer = UnsafeMutablePointer<Float>.allocate(capacity: values.count)
            buffer.initialize(from: values, count: values.count)
            storage.append(UnsafeMutableRawPointer(buffer))
            normTensors.append(WeightTensor(name: "draft_block.\(name).weight", type: .f32, rows: 1, cols: values.count,
                                            data: UnsafeRawPointer(buffer)))
        }
        weights = LlamaLayerWeights(attentionNorm: normTensors[0], query: tensors[0], key: tensors[1], value: tensors[2],
                                    output: tensors[3], ffnNorm: normTensors[1], gate: tensors[4], up: tensors[5],
                                    down: tensors[6])
        self.storage = storage
    }

    deinit { storage.forEach { $0.deallocate() } }

    /// Bytes of weights read per drafted token (all matrices once; decode is memory-bound).
    public var byteCount: Int { weights.matrices.reduce(0) { $0 + $1.byteCount } }
}
