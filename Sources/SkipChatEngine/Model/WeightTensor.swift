import CKernels

/// Storage type of a weight tensor, numbered as GGML/GGUF number them (ggml/docs/gguf.md); block
/// layouts as ggml/src/ggml-common.h defines them.
public enum TensorType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, iq4_NL = 20, bf16 = 30

    /// Values per quantisation block: 256 for the K-quants (super-blocks), 32 for the other
    /// quantised types, 1 for float types.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: 256
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .iq4_NL: 32
        }
    }
    /// Bytes per block: the f16 scale(s) plus the packed values, e.g. Q4_1 = f16 d + f16 m + 16
    /// nibble bytes, Q5_0 = f16 d + 4 bytes of fifth bits + 16, Q4_K = f16 d + f16 dmin + 12 bytes
    /// of 6-bit sub-block scales and minima + 128, Q6_K = 128 + 64 + 16 int8 scales + f16 d.
    public var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0, .iq4_NL: 18
        case .q4_1: 20
        case .q5_0: 22
        case .q5_1: 24
        case .q8_0: 34
        case .q2_K: 84
        case .q3_K: 110
        case .q4_K: 144
        case .q5_K: 176
        case .q6_K: 210
        }
    }
    /// The GGML name: "F32", "Q4_K", "IQ4_NL", …
    public var description: String { GGMLTypeName.name(of: rawValue) }
    /// Bytes of `count` values, or nil when `count` is not a whole number of blocks.
    public func byteCount(values count: Int) -> Int? {
        guard count >= 0, count % blockSize == 0 else { return nil }
        let (bytes, overflow) = (count / blockSize).multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }
}

/// A weight tensor in its stored format, inside a memory-mapped model file (never copied).
///
/// Shape is `[rows, cols]` = [output features, input features], row-major: for a GGUF tensor
/// with dims `[ne0, ne1]` rows = ne1 and cols = ne0; for a safetensors tensor `[out, in]` rows = out.
/// 1-D tensors (norm weights) have rows = 1.
public struct WeightTensor: @unchecked Sendable {
    public let name: String
    public let type: TensorType
    public let rows: Int
    public let cols: Int
    /// Start of the tensor's bytes; valid as long as the `ModelFile` that made it is alive.
    public let data: UnsafeRawPointer

    public init(name: String, type: TensorType, rows: Int, cols: Int, data: UnsafeRawPointer) {
        self.name = name
        self.type = type
        self.rows = rows
        self.cols = cols
        self.data = data
    }

    /// Bytes of one row.
    public var rowBytes: Int { type.byteCount(values: cols) ?? 0 }
    /// Bytes of the whole tensor.
    public var byteCount: Int { rowBytes * rows }
    public var elementCount: Int { rows * cols }
}
