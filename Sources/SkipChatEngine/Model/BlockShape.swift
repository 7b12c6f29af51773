/// Sizes of one transformer block: residual width, heads and MLP width. A draft block's
/// `hidden` and `headDim` must be its model's.
public struct BlockShape: Sendable, Equatable, CustomStringConvertible {
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
