import CKernels

/// Storage type of a weight tensor, numbered as GGML/GGUF number them (ggml/docs/gguf.md); block
/// layouts as ggml/src/ggml-common.h defines them.
public enum TensorType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0, f16 = 1, q4_0 = 2, q4_1 = 3, q5_0 = 6, q5_1 = 7, q8_0 = 8
    case q2_K = 10, q3_K = 11, q4_K = 12, q5_K = 13, q6_K = 14, iq4_NL = 20, bf16 = 30

    /// Values per quantisation block: 256 for the K-quants (super-blocks), 32 for the other
    /// quantised types, 1 for float types — from the kernels' type table (sc_type_block_values).
    public var blockSize: Int { Int(sc_type_block_values(Int32(rawValue))) }
    /// Bytes per block (ggml/src/ggml-common.h block layouts), from the kernels' type table
    /// (sc_type_block_bytes): e.g. Q4_1 = f16 d + f16 m + 16 nibble bytes = 20.
    public var blockBytes: Int { sc_type_block_bytes(Int32(rawValue)) }
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

    /// Bytes of one row.
    public var rowBytes: Int { type.byteCount(values: cols) ?? 0 }
    /// Bytes of the whole tensor.
    public var byteCount: Int { rowBytes * rows }
    public var elementCount: Int { rows * cols }
}
