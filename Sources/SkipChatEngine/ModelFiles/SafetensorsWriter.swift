import Foundation

/// One tensor to write into a safetensors file: little-endian values, row-major.
package struct SafetensorsTensor {
    package let name: String
    /// "F32" or "BF16" (what `SafetensorsFile` reads back).
    package let dtype: String
    package let shape: [Int]
    package let bytes: [UInt8]

    /// An F32 tensor of `values` (count = product of `shape`).
    package static func f32(_ name: String, shape: [Int], _ values: [Float]) -> SafetensorsTensor {
        precondition(values.count == shape.reduce(1, *))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 4)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
        return SafetensorsTensor(name: name, dtype: "F32", shape: shape, bytes: bytes)
    }

    /// A BF16 tensor of `values` rounded to nearest even (see `BFloat16`).
    package static func bf16(_ name: String, shape: [Int], _ values: [Float]) -> SafetensorsTensor {
        precondition(values.count == shape.reduce(1, *))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 2)
        for v in values { withUnsafeBytes(of: BFloat16.bits(v).littleEndian) { bytes.append(contentsOf: $0) } }
        return SafetensorsTensor(name: name, dtype: "BF16", shape: shape, bytes: bytes)
    }

    /// An F32 tensor copied as it lies in memory (little-endian machines, like every one skipchat
    /// runs on).
    package static func raw(_ name: String, shape: [Int], _ values: [Float]) -> SafetensorsTensor {
        precondition(values.count == shape.reduce(1, *))
        return SafetensorsTensor(name: name, dtype: "F32", shape: shape, bytes: values.withUnsafeBytes { Array($0) })
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
package enum SafetensorsWriter {
    package static func encode(_ tensors: [SafetensorsTensor], metadata: [String: String]) throws -> Data {
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
