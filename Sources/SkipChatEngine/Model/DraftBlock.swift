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
    public struct Shape: Sendable, Equatable, CustomStringConvertible {
        public var hidden: Int
        public var headCount: Int
        public var kvHeadCount: Int
        public var headDim: Int
        public var ffnSize: Int

        public init(hidden: Int, headCount: Int, kvHeadCount: Int, headDim: Int, ffnSize: Int) {
            self.hidden = hidden
            self.headCount = headCount
            self.kvHeadCount = kvHeadCount
            self.headDim = headDim
            self.ffnSize = ffnSize
        }

        /// Query and key/value widths (heads · headDim).
        public var qWidth: Int { headCount * headDim }
        public var kvWidth: Int { kvHeadCount * headDim }

        /// [rows, cols] of each matrix, by tensor name suffix (see `DraftBlock.matrixNames`).
        public func matrixShape(_ name: String) -> [Int] {
            switch name {
            case "attn_q": [qWidth, hidden]
            case "attn_k", "attn_v": [kvWidth, hidden]
            case "attn_output": [hidden, qWidth]
            case "ffn_gate", "ffn_up": [ffnSize, hidden]
            default: [hidden, ffnSize]   // ffn_down
            }
        }

        /// Why these sizes cannot run, or nil.
        public var problem: String? {
            if [hidden, headCount, kvHeadCount, headDim, ffnSize].contains(where: { $0 < 1 || $0 > 1 << 16 }) {
                return "block sizes must be between 1 and 65536"
            }
            if headCount % kvHeadCount != 0 { return "\(headCount) query heads are not a multiple of \(kvHeadCount) KV heads" }
            if headDim % 2 != 0 { return "head size \(headDim) is odd (RoPE rotates pairs)" }
            return nil
        }

        public var description: String {
            "\(headCount)×\(headDim) heads (\(kvHeadCount) KV), MLP \(ffnSize)"
        }
    }

    /// Matrices of the block, in the order of the formula above.
    public static let matrixNames = ["attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down"]
    /// Norm weights ([hidden] each).
    public static let normNames = ["attn_norm", "ffn_norm"]

    /// The block reads the residual stream after this many layers (1 … L−1).
    public let exitLayer: Int
    public let shape: Shape
    let attentionNorm: [Float]
    let ffnNorm: [Float]
    let query, key, value, output, gate, up, down: WeightTensor
    private let storage: [UnsafeMutablePointer<UInt16>]

    /// - Parameters:
    ///   - matrices: name in `matrixNames` → values, row-major `shape.matrixShape(name)`.
    ///   - norms: name in `normNames` → [hidden].
    /// - Precondition: every tensor is present with the right count and `shape.problem` is nil
    ///   (`ExitAdapterFile.read` checks both before building a block).
    public init(exitLayer: Int, shape: Shape, matrices: [String: [Float]], norms: [String: [Float]]) {
        precondition(shape.problem == nil)
        self.exitLayer = exitLayer
        self.shape = shape
        var storage: [UnsafeMutablePointer<UInt16>] = []
        var tensors: [WeightTensor] = []
        for name in Self.matrixNames {
            let dims = shape.matrixShape(name)
            guard let values = matrices[name], values.count == dims[0] * dims[1] else {
                preconditionFailure("draft block: \(name) missing or of the wrong size")
            }
            let buffer = UnsafeMutablePointer<UInt16>.allocate(capacity: values.count)
            for (i, v) in values.enumerated() { buffer[i] = BFloat16.bits(v) }
            storage.append(buffer)
            tensors.append(WeightTensor(name: "draft_block.\(name).weight", type: .bf16, rows: dims[0], cols: dims[1],
                                        data: UnsafeRawPointer(buffer)))
        }
        (query, key, value, output, gate, up, down) = (tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], tensors[6])
        guard let a = norms["attn_norm"], let f = norms["ffn_norm"], a.count == shape.hidden, f.count == shape.hidden else {
            preconditionFailure("draft block: norm weights missing or of the wrong size")
        }
        attentionNorm = a
        ffnNorm = f
        self.storage = storage
    }

    deinit { storage.forEach { $0.deallocate() } }

    /// Bytes of weights read per drafted token (all matrices once; decode is memory-bound).
    public var byteCount: Int { [query, key, value, output, gate, up, down].reduce(0) { $0 + $1.byteCount } }
}
