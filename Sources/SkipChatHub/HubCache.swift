import Foundation

/// The Hugging Face cache layout (huggingface_hub `file_download.py`), so files other tools
/// downloaded are found and the files skipchat downloads serve them:
///
/// ```
/// <cache>/models--ORG--NAME/refs/<revision>             the commit the revision pointed to
/// <cache>/models--ORG--NAME/blobs/<etag>                one file's bytes (sha256 for LFS files, git sha1 else)
/// <cache>/models--ORG--NAME/blobs/<etag>.incomplete     a transfer in progress or interrupted (resumed)
/// <cache>/models--ORG--NAME/snapshots/<commit>/<file>   relative symlink to ../../blobs/<etag>
/// <cache>/.locks/models--ORG--NAME/<etag>.lock          flock'd while a process downloads the blob
/// ```
public struct HubCache: Sendable {
    /// The hub cache directory (`HubEnvironment.cacheDirectory`).
    public let root: URL

    public init(root: URL) { self.root = root }

    func repositoryFolder(_ reference: HubModelReference) -> URL {
        root.appendingPathComponent(reference.cacheFolderName, isDirectory: true)
    }

    func blob(_ reference: HubModelReference, etag: String) -> URL {
        repositoryFolder(reference).appendingPathComponent("blobs/" + etag)
    }

    func incompleteBlob(_ reference: HubModelReference, etag: String) -> URL {
        repositoryFolder(reference).appendingPathComponent("blobs/" + etag + ".incomplete")
    }

    func lockFile(_ reference: HubModelReference, etag: String) -> URL {
        root.appendingPathComponent(".locks/" + reference.cacheFolderName + "/" + etag + ".lock")
    }

    /// The snapshot directory of `commit`.
    public func snapshot(_ reference: HubModelReference, commit: String) -> URL {
        repositoryFolder(reference).appendingPathComponent("snapshots/" + commit, isDirectory: true)
    }

    /// The commit `revision` resolves to in the cache: the content of `refs/<revision>`, or the
    /// revision itself when it is a commit with a snapshot. Nil when the cache does not know it.
    public func commit(_ reference: HubModelReference, revision: String) -> String? {
        let ref = repositoryFolder(reference).appendingPathComponent("refs/" + revision)
        if let text = try? String(contentsOf: ref, encoding: .utf8) {
            let commit = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !commit.isEmpty { return commit }
        }
        let isCommit = revision.count == 40 && revision.allSatisfy(\.isHexDigit)
        return isCommit && FileManager.default.fileExists(atPath: snapshot(reference, commit: revision).path) ? revision : nil
    }

    /// Records that `revision` points at `commit` (written to a temporary file and renamed).
    public func setCommit(_ reference: HubModelReference, revision: String, commit: String) throws(HubError) {
        guard revision != commit else { return }
        let ref = repositoryFolder(reference).appendingPathComponent("refs/" + revision)
        try createDirectory(ref.deletingLastPathComponent())
        let temporary = ref.deletingLastPathComponent().appendingPathComponent(".\(ref.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try Data(commit.utf8).write(to: temporary)
            guard rename(temporary.path, ref.path) == 0 else { throw HubError.io(path: ref.path, message: String(cString: strerror(errno))) }
        } catch let error as HubError {
            throw error
        } catch {
            throw .io(path: ref.path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Paths relative to the snapshot of every file (or link to a blob that exists) in it.
    public func files(_ reference: HubModelReference, commit: String) -> [String] {
        let directory = snapshot(reference, commit: commit)
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(relative).path
            // fileExists follows the link: a dangling link (blob deleted) is not a cached file.
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// Puts `file` into the snapshot as a relative link to the blob `etag` (replacing what is there).
    public func link(_ reference: HubModelReference, commit: String, file: String, etag: String) throws(HubError) {
        let destination = snapshot(reference, commit: commit).appendingPathComponent(file)
        try createDirectory(destination.deletingLastPathComponent())
        let depth = file.split(separator: "/").count - 1
        let target = String(repeating: "../", count: depth + 2) + "blobs/" + etag
        let temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).link")
        guard symlink(target, temporary.path) == 0, rename(temporary.path, destination.path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary.path)
            throw .io(path: destination.path, message: "cannot link the file into the snapshot: \(message)")
        }
    }

    func createDirectory(_ url: URL) throws(HubError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw .io(path: url.path, message: "cannot create the directory: \(error.localizedDescription)")
        }
    }
}
