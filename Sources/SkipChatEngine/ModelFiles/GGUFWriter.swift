#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a GGUF v3 file (ggml/docs/gguf.md), the layout `GGUFFile` reads:
///
///     magic "GGUF" · u32 version 3 · u64 tensor_count · u64 metadata_kv_count
///     metadata_kv_count × (string key · u32 value type · value)
///     tensor_count × (string name · u32 n_dims · n_dims × u64 ne · u32 ggml_type · u64 offset)
///     padding to `alignment` · tensor data, each tensor at a multiple of `alignment`
///
/// Strings are u64 length + UTF-8 bytes; everything is little-endian. The tensor data is not
/// held in memory: the file is sized, mapped, and each tensor's bytes are written in place by
/// the caller's `fill`, so a file of many gigabytes costs no copy.
public struct GGUFWriter {
    /// One tensor: its name, storage type and GGML dimensions `ne` (innermost first: a matrix
    /// of `rows` × `cols` is `[cols, rows]`).
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let type: TensorType
        public let dimensions: [Int]

        public init(name: String, type: TensorType, dimensions: [Int]) {
            self.name = name
            self.type = type
            self.dimensions = dimensions
        }

        /// Bytes of the tensor's data (whole blocks of its type).
        public var byteCount: Int { type.byteCount(values: dimensions.reduce(1, *)) ?? 0 }
    }

    /// Metadata in file order (`general.alignment`, when wanted, must be among them).
    public let metadata: [(key: String, value: GGUFValue)]
    public let tensors: [Tensor]
    /// Alignment of the data section and of each tensor's offset, in bytes (GGUF default 32).
    public let alignment: Int

    /// - Parameter alignment: a positive multiple of 8, equal to the `general.alignment` value
    ///   in `metadata` when that key is present.
    public init(metadata: [(key: String, value: GGUFValue)], tensors: [Tensor], alignment: Int = 32) {
        precondition(alignment > 0 && alignment % 8 == 0, "GGUF alignment must be a positive multiple of 8")
        self.metadata = metadata
        self.tensors = tensors
        self.alignment = alignment
    }

    /// Offset of each tensor's data from the start of the data section.
    public var dataOffsets: [Int] {
        var offset = 0
        return tensors.map { tensor in
            defer { offset = padded(offset + tensor.byteCount) }
            return offset
        }
    }

    /// The header, metadata and tensor infos, zero-padded to `alignment`: the bytes before the data.
    public func headerBytes() -> [UInt8] {
        var out = GGUFByteWriter()
        out.bytes.append(contentsOf: Array("GGUF".utf8))
        out.append(UInt32(3))
        out.append(UInt64(tensors.count))
        out.append(UInt64(metadata.count))
        for (key, value) in metadata {
            out.appendString(key)
            out.append(GGUFByteWriter.typeCode(of: value))
            out.appendValue(value)
        }
        for (tensor, offset) in zip(tensors, dataOffsets) {
            out.appendString(tensor.name)
            out.append(UInt32(tensor.dimensions.count))
            for ne in tensor.dimensions { out.append(UInt64(ne)) }
            out.append(tensor.type.rawValue)
            out.append(UInt64(offset))
        }
        out.bytes.append(contentsOf: repeatElement(0, count: padded(out.bytes.count) - out.bytes.count))
        return out.bytes
    }

    /// Size of the whole file in bytes for `headerBytes` of `headerCount` bytes.
    public func fileSize(headerCount: Int) -> Int {
        guard let last = tensors.indices.last else { return headerCount }
        return headerCount + dataOffsets[last] + tensors[last].byteCount
    }

    /// Writes the file to the open, writable, regular file `descriptor` (truncated to the new
    /// size first). `fill(index, destination)` must write all `tensors[index].byteCount` bytes
    /// at `destination`; it is called once per tensor, in order. Padding is zero.
    ///
    /// - Throws: `GGUFWriteError` when the file cannot be sized, reserved (e.g. the disk is full) or mapped.
    public func write(to descriptor: Int32, fill: (Int, UnsafeMutableRawPointer) throws -> Void) throws {
        let header = headerBytes()
        let size = fileSize(headerCount: header.count)
        guard ftruncate(descriptor, 0) == 0, ftruncate(descriptor, off_t(size)) == 0 else { throw GGUFWriteError.system("cannot size the file to \(size) bytes") }
        // Reserve the space now: a full disk (or /dev/shm) is an error here, not SIGBUS on a store
        // into the mapping later; the pages are also allocated in one call instead of one fault each.
        let reserved = posix_fallocate(descriptor, 0, off_t(size))
        guard reserved == 0 else {
            errno = reserved
            throw GGUFWriteError.system("cannot reserve \(size) bytes for the file")
        }
        guard let mapped = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), mapped != MAP_FAILED else {
            throw GGUFWriteError.system("cannot map \(size) bytes of the file")
        }
        defer { munmap(mapped, size) }
        header.withUnsafeBytes { mapped.copyMemory(from: $0.baseAddress!, byteCount: header.count) }
        for (index, offset) in dataOffsets.enumerated() {
            try fill(index, mapped + header.count + offset)
        }
    }

    private func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }
}

/// Why a GGUF file could not be written: one line, with the system's reason.
public struct GGUFWriteError: Error, CustomStringConvertible {
    public let description: String

    static func system(_ what: String) -> GGUFWriteError {
        GGUFWriteError(description: "\(what): \(String(cString: strerror(errno)))")
    }
}

/// Little-endian encoding of GGUF header fields and metadata values.
struct GGUFByteWriter {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendString(_ text: String) {
        let utf8 = Array(text.utf8)
        append(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// `gguf_metadata_value_type` of a value; an empty array is written as an array of u8.
    static func typeCode(of value: GGUFValue) -> UInt32 {
        switch value {
        case .uint8: 0
        case .int8: 1
        case .uint16: 2
        case .int16: 3
        case .uint32: 4
        case .int32: 5
        case .float32: 6
        case .bool: 7
        case .string: 8
        case .array: 9
        case .uint64: 10
        case .int64: 11
        case .float64: 12
        }
    }

    /// The value without its type code (an array: element type, u64 count, elements).
    mutating func appendValue(_ value: GGUFValue) {
        switch value {
        case .uint8(let v): append(v)
        case .int8(let v): append(v)
        case .uint16(let v): append(v)
        case .int16(let v): append(v)
        case .uint32(let v): append(v)
        case .int32(let v): append(v)
        case .uint64(let v): append(v)
        case .int64(let v): append(v)
        case .float32(let v): append(v.bitPattern)
        case .float64(let v): append(v.bitPattern)
        case .bool(let v): append(UInt8(v ? 1 : 0))
        case .string(let v): appendString(v)
        case .array(let elements):
            append(elements.first.map(Self.typeCode) ?? 0)
            append(UInt64(elements.count))
            for element in elements { appendValue(element) }
        }
    }
}
