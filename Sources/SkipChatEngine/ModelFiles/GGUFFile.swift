/// The parsed structure of a GGUF file, versions 2 and 3 (ggml/docs/gguf.md):
///
///     magic "GGUF" · u32 version · u64 tensor_count · u64 metadata_kv_count
///     metadata_kv_count × (string key · u32 value type · value)
///     tensor_count × (string name · u32 n_dims · n_dims × u64 ne · u32 ggml_type · u64 offset)
///     padding to `general.alignment` (default 32) · tensor data
///
/// Every count is checked against the bytes left in the file before anything is allocated for
/// it, and every tensor's data range is checked to lie inside the file. Tensor types other than
/// those in `TensorType` are refused, naming the tensor and its type.
struct GGUFFile {
    /// Alignment of the tensor data when `general.alignment` is absent.
    static let defaultAlignment = 32
    /// Most dimensions a GGML tensor can have (`GGML_MAX_DIMS`).
    static let maxDimensions = 4

    let file: MappedFile
    /// GGUF format version (2 or 3).
    let version: Int
    /// Metadata values by key.
    let metadata: [String: GGUFValue]
    /// Tensors in file order.
    let tensors: [StoredTensor]
    /// Alignment of tensor offsets and of the data section, in bytes.
    let alignment: Int

    /// Parses `file`. Throws `ModelLoadError` for anything that is not a well-formed GGUF v2/v3
    /// file whose tensors all have supported types and lie inside the file. With `metadataOnly`
    /// only the header and metadata are read and `tensors` is empty (for the tokenizer alone).
    init(file: MappedFile, metadataOnly: Bool = false) throws(ModelLoadError) {
        self.file = file
        var cursor = ByteCursor(file: file)
        let header = try Self.readHeader(&cursor)
        version = header.version
        metadata = try Self.readMetadata(&cursor, count: header.kvCount)
        let alignment = try Self.alignment(in: metadata, cursor: cursor)
        self.alignment = alignment
        guard !metadataOnly else {
            tensors = []
            return
        }
        var infos: [TensorInfo] = []
        infos.reserveCapacity(ByteCursor.reservation(for: header.tensorCount))
        var names = Set<String>()
        for index in 0..<header.tensorCount {
            let info = try Self.readTensorInfo(&cursor, index: index)
            guard names.insert(info.name).inserted else { throw cursor.error("tensor '\(info.name.shownInMessage)' appears twice") }
            infos.append(info)
        }
        cursor.align(to: alignment)
        let dataCursor = cursor
        tensors = try infos.map { info throws(ModelLoadError) in
            try Self.locate(info, dataStart: dataCursor.offset, alignment: alignment, cursor: dataCursor)
        }
        try Self.checkNoOverlap(infos, cursor: dataCursor)
    }

    /// Each tensor's bytes (as its type and dimensions imply) must end before the next tensor's
    /// data begins: a tensor whose stored size disagrees with its type and shape shows as an overlap.
    private static func checkNoOverlap(_ infos: [TensorInfo], cursor: ByteCursor) throws(ModelLoadError) {
        let sorted = infos.sorted { $0.offset < $1.offset }
        for (info, next) in zip(sorted, sorted.dropFirst()) where info.offset + UInt64(info.bytes) > next.offset {
            throw cursor.error("tensor '\(info.name.shownInMessage)' (\(info.type), dimensions \(info.ne)) needs \(info.bytes) bytes, but tensor '\(next.name.shownInMessage)' starts \(next.offset - info.offset) bytes after it")
        }
    }

    /// A tensor info as stored: GGML dims (`ne`, innermost first), data offset relative to the
    /// start of the data section, and byte size.
    private struct TensorInfo {
        let name: String
        let type: TensorType
        let ne: [Int]
        let offset: UInt64
        let bytes: Int
    }

    /// Magic, version and the two counts, each count checked against the bytes left.
    private static func readHeader(_ cursor: inout ByteCursor) throws(ModelLoadError) -> (version: Int, tensorCount: Int, kvCount: Int) {
        let file = cursor.file
        guard file.size > 0 else { throw cursor.error("file is empty") }
        let magic = file.bytes(at: 0, count: min(4, file.size)) ?? []
        guard magic == Array("GGUF".utf8) else {
            let hex = magic.map { String($0, radix: 16) }.joined(separator: " ")
            throw cursor.error("not a GGUF file (first bytes \(hex), expected 47 47 55 46 \"GGUF\")")
        }
        _ = try cursor.read(UInt32.self, "magic")
        let version = try cursor.read(UInt32.self, "version")
        guard version == 2 || version == 3 else {
            throw cursor.error("GGUF version \(version) is not supported (supported: 2, 3)")
        }
        // Smallest tensor info: 8-byte name length, u32 n_dims, u32 type, u64 offset.
        let tensorCount = try cursor.readCount("tensor count", minBytesEach: 24)
        // Smallest key/value: 8-byte key length, u32 type, 1-byte value.
        let kvCount = try cursor.readCount("metadata key/value count", minBytesEach: 13)
        return (Int(version), tensorCount, kvCount)
    }

    /// `count` key/value pairs; a key that appears twice is an error.
    private static func readMetadata(_ cursor: inout ByteCursor, count: Int) throws(ModelLoadError) -> [String: GGUFValue] {
        var metadata: [String: GGUFValue] = [:]
        metadata.reserveCapacity(ByteCursor.reservation(for: count))
        for index in 0..<count {
            let key = try cursor.readGGUFString("key of metadata entry \(index)")
            guard metadata[key] == nil else { throw cursor.error("metadata key '\(key.shownInMessage)' appears twice") }
            metadata[key] = try cursor.readGGUFValue(key: key)
        }
        return metadata
    }

    /// The tensor's bytes, checked to be aligned and inside the file.
    private static func locate(_ info: TensorInfo, dataStart: Int, alignment: Int, cursor: ByteCursor) throws(ModelLoadError) -> StoredTensor {
        let name = info.name.shownInMessage
        guard info.offset % UInt64(alignment) == 0 else {
            throw cursor.error("tensor '\(name)' offset \(info.offset) is not a multiple of the alignment \(alignment)")
        }
        guard info.offset <= UInt64(cursor.file.size),
              let data = cursor.file.pointer(at: dataStart + Int(info.offset), count: info.bytes) else {
            throw cursor.error("tensor '\(name)' (\(info.type), \(info.bytes) bytes for dimensions \(info.ne) at data offset \(info.offset)) ends past the end of the file (\(cursor.file.size) bytes)")
        }
        return StoredTensor(name: info.name, type: info.type, shape: info.ne.reversed(), data: data)
    }

    /// `general.alignment`, which must be a positive multiple of 8 (default 32).
    private static func alignment(in metadata: [String: GGUFValue], cursor: ByteCursor) throws(ModelLoadError) -> Int {
        guard let value = metadata["general.alignment"] else { return defaultAlignment }
        guard let alignment = value.int, alignment > 0, alignment % 8 == 0, alignment <= Int(UInt32.max) else {
            throw cursor.error("general.alignment is \(value.summary), expected a positive multiple of 8")
        }
        return alignment
    }

    /// Reads one tensor info and checks its dimensions, type and size (not yet its location).
    private static func readTensorInfo(_ cursor: inout ByteCursor, index: Int) throws(ModelLoadError) -> TensorInfo {
        let fullName = try cursor.readGGUFString("name of tensor \(index)")
        let name = fullName.shownInMessage
        let dimCount = try cursor.read(UInt32.self, "dimension count of tensor '\(name)'")
        guard (1...UInt32(maxDimensions)).contains(dimCount) else {
            throw cursor.error("tensor '\(name)' has \(dimCount) dimensions (expected 1 to \(maxDimensions))")
        }
        var ne: [Int] = []
        for _ in 0..<dimCount {
            let d = try cursor.read(UInt64.self, "dimensions of tensor '\(name)'")
            guard let dim = Int(exactly: d) else { throw cursor.error("tensor '\(name)' has dimension \(d), too large") }
            ne.append(dim)
        }
        let code = try cursor.read(UInt32.self, "type of tensor '\(name)'")
        guard let type = TensorType(rawValue: code) else {
            throw cursor.error("tensor '\(name)' has type \(GGMLTypeName.name(of: code)), which skipchat does not support (supported: \(GGMLTypeName.supportedList))")
        }
        let offset = try cursor.read(UInt64.self, "data offset of tensor '\(name)'")
        guard ne[0] % type.blockSize == 0 else {
            throw cursor.error("tensor '\(name)' has type \(type) but its rows have \(ne[0]) values, not a multiple of the \(type) block size \(type.blockSize)")
        }
        guard let count = StoredTensor.checkedProduct(ne), let bytes = type.byteCount(values: count) else {
            throw cursor.error("tensor '\(name)' dimensions \(ne) are too large")
        }
        return TensorInfo(name: fullName, type: type, ne: ne, offset: offset, bytes: bytes)
    }
}
