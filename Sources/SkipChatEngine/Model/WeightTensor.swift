import CKernels

/// Storage type of a weight tensor, numbered as GGML/GGUF number them (ggml/docs/gguf.md).
public enum TensorType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q8_0 = 8, bf16 = 30

    /// Values per quantisation block (32 for the Qn_0/Qn_1 types, 1 for float types).
    public var blockSize: Int { switch self { case .q4_0, .q4_1, .q8_0: 32; default: 1 } }
    /// Bytes per block: Q4_0 = f16 scale + 16 nibble bytes, Q4_1 = f16 scale + f16 min + 16,
    /// Q8_0 = f16 scale + 32 int8.
    public var blockBytes: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0: 18
        case .q4_1: 20
        case .q8_0: 34
        }
    }
    public var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q8_0: "Q8_0"
        }
    }
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
