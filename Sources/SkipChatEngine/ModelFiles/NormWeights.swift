/// F32 copies of norm weights stored as F16 or BF16 (Hugging Face checkpoints store every
/// tensor in the checkpoint dtype), so that every norm in `LlamaWeights` is F32 and the forward
/// pass can read it directly. Norms are small (hidden-size floats per layer); the copies live as
/// long as the `ModelFile` that owns this object.
final class NormWeights: @unchecked Sendable {
    private var buffers: [UnsafeMutableBufferPointer<Float>] = []

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// `tensor` itself when it is F32 and `offset` is 0, else an F32 copy of its values plus
    /// `offset` (Gemma's (1 + w) norms), with the same name and shape. Precondition: F32, F16 or BF16.
    func float32(_ tensor: WeightTensor, offset: Float = 0) -> WeightTensor {
        guard tensor.type != .f32 || offset != 0 else { return tensor }
        let count = tensor.elementCount
        let out = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
        buffers.append(out)
        let bits = tensor.data.assumingMemoryBound(to: UInt16.self)
        let floats = tensor.data.assumingMemoryBound(to: Float.self)
        for i in 0..<count {
            let value = switch tensor.type {
            case .f32: floats[i]
            case .bf16: Float(bitPattern: UInt32(bits[i]) << 16)
            default: Self.halfToFloat(bits[i])
            }
            out[i] = value + offset
        }
        return WeightTensor(name: tensor.name, type: .f32, rows: tensor.rows, cols: tensor.cols,
                            data: UnsafeRawPointer(out.baseAddress!))
    }

    /// IEEE 754 binary16 → binary32 (exact), including subnormals, infinities and NaN.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * 0x1p-24  // subnormal (or zero)
            return sign == 0 ? magnitude : -magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
        }
    }
}
