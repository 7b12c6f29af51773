#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only into memory (`mmap(PROT_READ, MAP_PRIVATE)`).
///
/// The mapping lives as long as this object; pointers handed out by `pointer(at:count:)` are
/// valid only while it is alive. An empty file has no mapping and every read of it fails. A
/// file truncated while mapped ends the process with one line naming it (`MappedFileFaults`).
package final class MappedFile: @unchecked Sendable {
    /// Path the file was opened with (used in error messages).
    let path: String
    /// Size of the file in bytes.
    let size: Int
    /// Start of the mapping; nil for an empty file.
    private let base: UnsafeRawPointer?

    /// Maps `path`. Throws `ModelLoadError` when the file is missing, unreadable, a directory,
    /// or cannot be mapped.
    package init(path: String) throws(ModelLoadError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ModelLoadError(file: path, Self.errnoText("cannot open")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ModelLoadError(file: path, Self.errnoText("cannot stat")) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw ModelLoadError(file: path, "not a regular file") }
        size = Int(info.st_size)
        guard size > 0 else {
            base = nil
            return
        }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != MAP_FAILED else {
            throw ModelLoadError(file: path, Self.errnoText("cannot map into memory"))
        }
        base = UnsafeRawPointer(mapped)
        MappedFileFaults.register(start: UnsafeRawPointer(mapped), size: size, path: path)
    }

    deinit {
        guard let base else { return }
        MappedFileFaults.unregister(start: base)
        munmap(UnsafeMutableRawPointer(mutating: base), size)
    }

    /// True when `count` bytes starting at `offset` lie inside the file (overflow-safe).
    func contains(offset: Int, count: Int) -> Bool {
        offset >= 0 && count >= 0 && offset <= size && count <= size - offset
    }

    /// Pointer to `count` bytes at `offset`, or nil when that range is not inside the file.
    func pointer(at offset: Int, count: Int) -> UnsafeRawPointer? {
        guard let base, contains(offset: offset, count: count) else { return nil }
        return base + offset
    }

    /// The bytes of the range as an array (for small headers), or nil when out of range.
    func bytes(at offset: Int, count: Int) -> [UInt8]? {
        guard let start = pointer(at: offset, count: count) else { return count == 0 && offset <= size ? [] : nil }
        return Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    private static func errnoText(_ what: String) -> String {
        "\(what): \(String(cString: strerror(errno)))"
    }
}
