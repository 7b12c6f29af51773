import Foundation

/// Writing files so that readers see the old contents or the new, never a part.
public enum OutputFile {
    /// Why a file was not written.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        /// The file exists and overwriting was not asked for.
        case exists(path: String)
        /// The file could not be written (the reason as the system says it).
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .exists(let path): "\(path) exists; --force overwrites it"
            case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
            }
        }
    }

    /// Writes `data` to `path` unless it exists (`force` overwrites a file, never a directory).
    /// Atomic as `replace`: on failure `path` is as it was.
    /// - Throws: `Failure`.
    public static func create(_ data: Data, at path: String, force: Bool) throws(Failure) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw .cannotWrite(path: path, reason: "it is a directory") }
            if !force { throw .exists(path: path) }
        }
        do {
            try replace(data, at: path)
        } catch {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let inDirectory = FileManager.default.fileExists(atPath: directory) ? "cannot create a file in \(directory): " : ""
            throw .cannotWrite(path: path, reason: inDirectory + systemReason(error))
        }
    }

    /// Writes `data` to a temporary file in `path`'s directory (created when missing), then
    /// renames it over `path`; on failure the temporary file is removed and `path` is untouched.
    /// - Throws: the Foundation error of the failed step (directory, write or rename).
    static func replace(_ data: Data, at path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename failed: \(String(cString: strerror(code)))"])
        }
    }

    /// The innermost system message of a Foundation file error ("No such file or directory").
    static func systemReason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        // Foundation on Linux often keeps only its own code: give the system's words for it.
        let code: Int32? = switch (error as? CocoaError)?.code {
        case .fileNoSuchFile?, .fileReadNoSuchFile?: ENOENT
        case .fileReadNoPermission?, .fileWriteNoPermission?: EACCES
        case .fileWriteOutOfSpace?: ENOSPC
        case .fileWriteVolumeReadOnly?: EROFS
        case .fileWriteFileExists?: EEXIST
        default: nil
        }
        return code.map { String(cString: strerror($0)) } ?? ns.localizedDescription
    }
}
