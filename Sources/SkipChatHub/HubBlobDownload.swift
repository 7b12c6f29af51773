import Foundation

/// Brings one file's bytes into `blobs/<etag>` as huggingface_hub does: under the blob's lock,
/// into `blobs/<etag>.incomplete` (resumed with `Range` when one is there), checked against the
/// etag (sha256 for LFS files, git blob sha1 otherwise), then renamed into place, so a blob is
/// either whole and checked or absent.
struct HubBlobDownload {
    let client: HubClient
    let cache: HubCache
    let reference: HubModelReference
    let file: String
    let metadata: HubClient.FileMetadata
    let showProgress: Bool
    let log: (String) -> Void
    let shown: (String) -> String

    /// - Throws: `HubError.truncated` (partial blob kept), `.hashMismatch` (partial blob removed),
    ///   `.diskFull`, `.io`, `.network`, or the status errors of `HubClient.check`.
    func run() throws(HubError) {
        let blob = cache.blob(reference, etag: metadata.etag)
        if FileManager.default.fileExists(atPath: blob.path) { return }
        let lock = try HubFileLock(path: cache.lockFile(reference, etag: metadata.etag)) {
            log("waiting for another process that is downloading \(file)")
        }
        defer { lock.unlock() }
        if FileManager.default.fileExists(atPath: blob.path) { return }
        try transfer(into: cache.incompleteBlob(reference, etag: metadata.etag), blob: blob)
    }

    private func transfer(into partial: URL, blob: URL) throws(HubError) {
        try cache.createDirectory(partial.deletingLastPathComponent())
        let descriptor = open(partial.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: partial.path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var have = Int64(lseek(descriptor, 0, SEEK_END))
        if have > metadata.size {
            guard ftruncate(descriptor, 0) == 0 else { throw .io(path: partial.path, message: "cannot truncate: \(String(cString: strerror(errno)))") }
            have = 0
        }
        try checkSpace(needed: metadata.size - have, directory: partial.deletingLastPathComponent())
        // The hash is taken on another thread, reading the partial blob (the resumed prefix first)
        // back from the page cache behind the writer; the receive loop only writes.
        var hasher = try makeHasher(partial.path)
        var hashed = false
        defer { if !hashed { hasher?.abandon() } }
        hasher?.grew(to: have)

        var request = client.request(metadata.location, method: .get)
        if have > 0 { request.setHeader("Range", "bytes=\(have)-") }
        let progress = HubProgressBar(label: shown(file), total: metadata.size, start: have, enabled: showProgress)
        var written = have
        var writeError: Int32 = 0
        var badRange = false
        var checkedStart = false
        let response: HubHTTP.Response
        do {
            // Each chunk goes from libcurl's buffer straight into the partial blob.
            response = try client.stream(request) { status, headers, bytes in
                if !checkedStart {
                    checkedStart = true
                    if status == 200 && written > 0 {
                        // The server sent the whole file instead of the range: start over
                        // (the hasher stops first: it must not read what the truncation removes).
                        hasher?.abandon()
                        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else { writeError = errno; return false }
                        written = 0
                        do { hasher = try makeHasher(partial.path) } catch { writeError = EIO; return false }
                    } else if status == 206 {
                        guard headers["content-range"]?.hasPrefix("bytes \(written)-") == true else { badRange = true; return false }
                    }
                }
                guard written + Int64(bytes.count) <= metadata.size else { badRange = true; return false }
                var offset = 0
                while offset < bytes.count {
                    let n = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        writeError = errno
                        return false
                    }
                    offset += n
                }
                written += Int64(bytes.count)
                hasher?.grew(to: written)
                progress.update(written)
                return true
            }
        } catch {
            progress.finish(written)
            if writeError == 0 && written < metadata.size && !error.beforeConnecting {
                throw .truncated(file: file, received: written, expected: metadata.size)
            }
            throw client.networkError(error)
        }
        progress.finish(written)
        if writeError == ENOSPC || writeError == EDQUOT {
            throw .diskFull(file: file, needed: metadata.size - written, available: Self.freeSpace(partial.deletingLastPathComponent()) ?? 0,
                            directory: partial.deletingLastPathComponent().path)
        }
        if writeError != 0 { throw .io(path: partial.path, message: "cannot write: \(String(cString: strerror(writeError)))") }
        if badRange { throw .badResponse(url: metadata.location.absoluteString, message: "the bytes sent do not continue the partial download") }
        try client.check(response, url: metadata.location, reference: reference, file: file, revision: metadata.commit)
        guard written == metadata.size else { throw .truncated(file: file, received: written, expected: metadata.size) }
        if let hasher {
            hashed = true
            let actual = try hasher.finish()
            guard actual == metadata.etag else {
                unlink(partial.path)
                throw .hashMismatch(file: file, expected: metadata.etag, actual: actual)
            }
        }
        guard rename(partial.path, blob.path) == 0 else {
            throw .io(path: blob.path, message: "cannot move the download into the cache: \(String(cString: strerror(errno)))")
        }
    }

    /// Hashes the file at `path` as it grows: sha256 for a 64-digit etag (an LFS file), a git
    /// blob sha1 for a 40-digit one, nil (no check) otherwise.
    private func makeHasher(_ path: String) throws(HubError) -> GrowingFileDigest? {
        guard metadata.etag.allSatisfy(\.isHexDigit) else { return nil }
        switch metadata.etag.count {
        case 64: return try GrowingFileDigest(StreamingDigest(.sha256), path: path)
        case 40:
            let digest = StreamingDigest(.sha1)
            digest.update(Data("blob \(metadata.size)\0".utf8))
            return try GrowingFileDigest(digest, path: path)
        default: return nil
        }
    }

    private func checkSpace(needed: Int64, directory: URL) throws(HubError) {
        guard let available = Self.freeSpace(directory), available < needed else { return }
        throw .diskFull(file: file, needed: needed, available: available, directory: directory.path)
    }

    static func freeSpace(_ directory: URL) -> Int64? {
        var stats = statvfs()
        guard statvfs(directory.path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
