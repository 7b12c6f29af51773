import Foundation

/// Turns a Hub reference into a local path to load: the model's files are found in the
/// Hugging Face cache, or downloaded into it first.
public struct HubPull {
    public let environment: HubEnvironment
    /// Draw a progress bar per file on standard error (when it is a terminal).
    public var showProgress: Bool
    /// Where status lines go (one line each, no newline): waiting for a lock, using the cache offline.
    public var log: (String) -> Void
    /// How a file name from the Hub is shown on the progress bar: the caller's terminal sanitiser
    /// (names come from a stranger's repository).
    public var shown: (String) -> String

    public init(environment: HubEnvironment = .current(), showProgress: Bool = true,
                log: @escaping (String) -> Void = { FileHandle.standardError.write(Data("skipchat: \($0)\n".utf8)) },
                shown: @escaping (String) -> String = { $0 }) {
        self.environment = environment
        self.showProgress = showProgress
        self.log = log
        self.shown = shown
    }

    /// The path to open for `reference` at `revision`: the GGUF file in the snapshot, or the
    /// snapshot directory of a checkpoint. Offline (`HF_HUB_OFFLINE`) it reads only the cache;
    /// online it asks the Hub for the revision's commit and files, downloads the missing ones,
    /// and records `refs/<revision>`; when the Hub cannot be reached it falls back to the cache.
    /// - Throws: `HubError` (one line).
    public func modelPath(for reference: HubModelReference, revision: String = "main") throws(HubError) -> URL {
        let cache = HubCache(root: environment.cacheDirectory)
        if environment.offline { return try cached(reference, revision: revision, cache: cache, why: "HF_HUB_OFFLINE is set") }
        let client = try HubClient(environment: environment)
        let info: HubClient.ModelInfo
        do {
            info = try client.modelInfo(reference, revision: revision)
        } catch let HubError.network(host, message) {
            guard let path = try? cached(reference, revision: revision, cache: cache, why: "") else { throw .network(host: host, message: message) }
            log("cannot reach the Hub at \(host) (\(message)); using the cached copy")
            return path
        }
        let picked = try HubModelFiles.pick(from: info.files, quant: reference.quant, repository: reference.repository)
        for file in picked.files {
            let metadata = try client.metadata(reference, revision: info.commit, file: file)
            try HubBlobDownload(client: client, cache: cache, reference: reference, file: file, metadata: metadata,
                                showProgress: showProgress, log: log, shown: shown).run()
            try cache.link(reference, commit: info.commit, file: file, etag: metadata.etag)
        }
        try cache.setCommit(reference, revision: revision, commit: info.commit)
        return path(cache.snapshot(reference, commit: info.commit), picked.modelPath)
    }

    /// The model from the cache alone.
    func cached(_ reference: HubModelReference, revision: String, cache: HubCache, why: String) throws(HubError) -> URL {
        guard let commit = cache.commit(reference, revision: revision) else {
            throw .notInCache(repository: reference.repository, cache: cache.root.path, why: why)
        }
        let picked = try HubModelFiles.pick(from: cache.files(reference, commit: commit), quant: reference.quant, repository: reference.repository)
        return path(cache.snapshot(reference, commit: commit), picked.modelPath)
    }

    private func path(_ snapshot: URL, _ relative: String) -> URL {
        relative.isEmpty ? snapshot : snapshot.appendingPathComponent(relative)
    }
}
