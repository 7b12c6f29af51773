import Foundation

/// One `.safetensors` file (huggingface/safetensors README, "Format"):
///
///     u64 little-endian N · N bytes of UTF-8 JSON header · tensor data
///
/// The header maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}`, offsets
/// relative to the start of the data; an optional `__metadata__` entry holds strings. The header
/// length, every shape and every data range are checked against the file before use; dtypes
/// other than BF16, F16 and F32 are refused naming the tensor.
package struct SafetensorsFile {
    /// Largest header accepted (the format's own limit is 100 MB).
    static let maxHeaderBytes = 100_000_000

    let file: MappedFile
    /// Tensors, in no particular order.
    let tensors: [StoredTensor]

    package init(file: MappedFile) throws(ModelLoadError) {
        self.file = file
        var cursor = ByteCursor(file: file)
        guard file.size >= 8 else { throw cursor.error("too short to be a safetensors file (\(file.size) bytes)") }
        let declared = try cursor.read(UInt64.self, "header length")
        guard declared <= UInt64(file.size - 8) else {
            throw cursor.error("header length \(declared) runs past the end of the file (\(file.size) bytes)")
        }
        guard declared <= UInt64(Self.maxHeaderBytes) else {
            throw cursor.error("header length \(declared) exceeds the safetensors limit of \(Self.maxHeaderBytes) bytes")
        }
        let headerBytes = Int(declared)
        let dataStart = 8 + headerBytes
        let header = Data(file.bytes(at: 8, count: headerBytes) ?? [])
        guard let object = try? JSONSerialization.jsonObject(with: header), let entries = object as? [String: Any] else {
            throw cursor.error("header is not a JSON object")
        }
        var tensors: [StoredTensor] = []
        for (name, value) in entries where name != "__metadata__" {
            tensors.append(try Self.tensor(name: name, entry: value, file: file, dataStart: dataStart))
        }
        self.tensors = tensors
    }

    /// safetensors dtype names skipchat reads.
    private static let dtypes: [String: TensorType] = ["BF16": .bf16, "F16": .f16, "F32": .f32]

    /// Checks one header entry and locates its data.
    private static func tensor(name: String, entry: Any, file: MappedFile, dataStart: Int) throws(ModelLoadError) -> StoredTensor {
        func fail(_ message: String) -> ModelLoadError { ModelLoadError(file: file.path, "tensor '\(name.shownInMessage)' \(message)") }
        guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
              let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int], offsets.count == 2 else {
            throw fail("has a malformed header entry (needs dtype, shape and two data_offsets)")
        }
        guard let type = dtypes[dtype] else {
            throw fail("has dtype \(dtype), which skipchat does not support (supported: BF16, F16, F32)")
        }
        guard let count = StoredTensor.checkedProduct(shape), let bytes = type.byteCount(values: count) else {
            throw fail("has an invalid shape \(shape)")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, end >= begin, end - begin == bytes else {
            throw fail("data_offsets [\(begin), \(end)] do not hold \(bytes) bytes of \(dtype) \(shape)")
        }
        guard begin <= file.size, let data = file.pointer(at: dataStart + begin, count: bytes) else {
            throw fail("data [\(begin), \(end)) ends past the end of the file (\(file.size) bytes)")
        }
        guard (dataStart + begin) % type.blockBytes == 0 else {
            throw fail("data at byte \(dataStart + begin) is not aligned to its \(type.blockBytes)-byte values")
        }
        return StoredTensor(name: name, type: type, shape: shape, data: data)
    }
}
