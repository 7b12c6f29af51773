import Foundation

/// A synthetic model made in memory: the same bytes `writeGGUF` would write, in a file on the
/// RAM-backed /dev/shm (the temporary directory where there is none) that is deleted as soon as
/// it is mapped, so it lives exactly as long as the returned `ModelFile` and is read through the
/// same loader as any GGUF file (tokenizer, chat template and all).
public enum SyntheticModel {
    /// Makes the model after checking that its weights fit in `availableBytes`.
    ///
    /// - Parameter availableBytes: memory available for the weights (default: `AvailableMemory`;
    ///   nil = unknown, not checked).
    /// - Throws: `SyntheticModelError.doesNotFit` before anything is allocated when the weights
    ///   need more than `availableBytes`; `GGUFWriteError` or `ModelLoadError` when the memory
    ///   file cannot be made or read.
    public static func open(_ spec: SyntheticSpec, availableBytes: Int? = AvailableMemory.bytes()) throws -> ModelFile {
        try check(spec, availableBytes: availableBytes)
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        var template = Array((directory + "skipchat-synthetic-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw GGUFWriteError.system("cannot create a memory file in \(directory)") }
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        do {
            defer { close(fd) }
            try spec.write(to: fd)
        }
        return try ModelFile.open(path: path)
    }

    /// Throws `SyntheticModelError.doesNotFit` when `spec`'s weights need more than `availableBytes`.
    public static func check(_ spec: SyntheticSpec, availableBytes: Int?) throws(SyntheticModelError) {
        let needed = spec.weightBytes
        if let availableBytes, needed > availableBytes {
            throw .doesNotFit(name: spec.name, neededBytes: needed, availableBytes: availableBytes)
        }
    }
}

/// Why a synthetic model was not made.
public enum SyntheticModelError: Error, Equatable, CustomStringConvertible {
    case doesNotFit(name: String, neededBytes: Int, availableBytes: Int)

    public var description: String {
        switch self {
        case let .doesNotFit(name, needed, available):
            "\(name) needs \(needed) bytes (\(String(format: "%.2f", Double(needed) / 1e9)) GB) of memory for its weights, but only "
                + "\(available) bytes (\(String(format: "%.2f", Double(available) / 1e9)) GB) are available (MemAvailable in /proc/meminfo)"
        }
    }
}
