/// Reads little-endian values from a `MappedFile`, checking every read against the file's end.
/// Each failure throws a `ModelLoadError` naming the file, what was being read, and the offset.
struct ByteCursor {
    let file: MappedFile
    /// Offset of the next byte to read.
    private(set) var offset: Int

    init(file: MappedFile, offset: Int = 0) {
        self.file = file
        self.offset = offset
    }

    /// Bytes between the cursor and the end of the file.
    var remaining: Int { file.size - offset }

    /// A `ModelLoadError` for this file.
    func error(_ message: String) -> ModelLoadError { ModelLoadError(file: file.path, message) }

    /// Reads one fixed-width integer (or bit pattern) of type `T`.
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(ModelLoadError) -> T {
        let width = MemoryLayout<T>.size
        guard let p = file.pointer(at: offset, count: width) else {
            throw error("file ends inside \(what()) at offset \(offset)")
        }
        offset += width
        return T(littleEndian: p.loadUnaligned(as: T.self))
    }

    /// Reads a length or count stored as u64 and checks that `count × minBytesEach` bytes could
    /// still follow, so a corrupt count is refused before anything is allocated for it.
    mutating func readCount(_ what: @autoclosure () -> String, minBytesEach: Int) throws(ModelLoadError) -> Int {
        let start = offset
        let raw = try read(UInt64.self, what())
        guard raw <= UInt64(remaining / max(minBytesEach, 1)) else {
            throw error("\(what()) \(raw) at offset \(start) does not fit in the rest of the file (\(remaining) bytes)")
        }
        return Int(raw)
    }

    /// Reads `count` raw bytes as UTF-8 text (invalid sequences are replaced, never trapped on).
    mutating func readString(byteCount count: Int, _ what: @autoclosure () -> String) throws(ModelLoadError) -> String {
        guard let p = file.pointer(at: offset, count: count) else {
            throw error("file ends inside \(what()) at offset \(offset)")
        }
        offset += count
        return String(decoding: UnsafeRawBufferPointer(start: p, count: count), as: UTF8.self)
    }

    /// Capacity to reserve up front for `count` parsed items: at most 65,536, so a count that
    /// merely fits the file cannot make the reader allocate many times the file's size before
    /// any item has actually been read.
    static func reservation(for count: Int) -> Int { min(count, 65_536) }

    /// Moves the cursor forward to the next multiple of `alignment` (a positive number).
    mutating func align(to alignment: Int) {
        let rest = offset % alignment
        if rest != 0 { offset += alignment - rest }
    }
}
