import Foundation

/// One tensor to write into a safetensors file: little-endian values, row-major.
struct SafetensorsTensor {
    let name: String
    /// "F32" or "BF16" (what `SafetensorsFile` reads back).
    let dtype: String
    let shape: [Int]
    let bytes: [UInt8]

    /// An F32 tensor of `values` (count = product of `shape`).
    static func f32(_ name: String, shape: [Int], _ values: [Float]) -> SafetensorsTensor {
        precondition(values.count == shape.reduce(1, *))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return SafetensorsTensor(name: name, dtype: "F32", shape: shape, bytes: bytes)
    }

    /// A BF16 tensor of `values` rounded to nearest even (see `BFloat16`).
    static func bf16(_ name: String, shape: [Int], _ values: [Float]) -> SafetensorsTensor {
        precondition(values.count == shape.reduce(1, *))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 2)
        for v in values { withUnsafeBytes(of: BFloat16.bits(v).littleEndian) { bytes.append(contentsOf: $0) } }
        return SafetensorsTensor(name: name, dtype: "BF16", shape: shape, bytes: bytes)
    }
}

/// Serialises tensors in the safetensors format (huggingface/safetensors README, "Format"):
///
///     u64 little-endian N · N bytes of UTF-8 JSON header · tensor data
///
/// The header maps each name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets
/// relative to the data start) and `__metadata__` to string pairs. The header is padded with
/// spaces to a multiple of 8 bytes, and tensors are laid out widest element first with no holes,
/// so every tensor's data is aligned to its element size.
enum SafetensorsWriter {
    static func encode(_ tensors: [SafetensorsTensor], metadata: [String: String]) throws -> Data {
        let width = ["F32": 4, "BF16": 2]
        let ordered = tensors.sorted { (width[$0.dtype] ?? 1, $1.name) > (width[$1.dtype] ?? 1, $0.name) }
        var header: [String: Any] = ["__metadata__": metadata]
        var offset = 0
        for t in ordered {
            header[t.name] = ["dtype": t.dtype, "shape": t.shape, "data_offsets": [offset, offset + t.bytes.count]]
            offset += t.bytes.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for t in ordered { out.append(contentsOf: t.bytes) }
        return out
    }
}

/// bfloat16: the upper 16 bits of an IEEE float32.
enum BFloat16 {
    /// `value` rounded to nearest even; NaN stays NaN.
    static func bits(_ value: Float) -> UInt16 {
        let b = value.bitPattern
        if value.isNaN { return UInt16(b >> 16) | 0x40 }
        return UInt16((b + 0x7FFF + ((b >> 16) & 1)) >> 16)
    }

    /// The float32 that `bits` stands for.
    static func float(_ bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
