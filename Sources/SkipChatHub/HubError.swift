import Foundation

/// Why a model could not be fetched from, or found in, the Hugging Face Hub cache. `description`
/// is one line saying what failed and what to do; a transfer that stopped part-way keeps its
/// partial blob (`blobs/<etag>.incomplete`) for the next try to resume.
public enum HubError: Error, CustomStringConvertible, Equatable {
    /// The text after `hf:` is not `ORG/NAME[:QUANT]`.
    case invalidReference(String, reason: String)
    /// The repository does not exist, or is private and no token (or the wrong one) was sent.
    case repositoryNotFound(repository: String, page: String, hadToken: Bool)
    /// The repository has no file of that name at that revision.
    case fileNotFound(repository: String, file: String)
    /// The revision (branch, tag or commit) does not exist.
    case revisionNotFound(repository: String, revision: String)
    /// Gated or private: 401 (no token sent) or 403 (the token has no access).
    case accessDenied(repository: String, page: String, hadToken: Bool)
    /// The Hub could not be reached (and the cache does not hold the model).
    case network(host: String, message: String)
    /// Any other HTTP status.
    case server(status: Int, url: String, message: String)
    /// The downloaded bytes do not hash to the file's etag (the download is discarded).
    case hashMismatch(file: String, expected: String, actual: String)
    /// The connection ended before the whole file came; the partial blob is kept.
    case truncated(file: String, received: Int64, expected: Int64)
    /// Not enough free space for the rest of the file (checked before the transfer starts).
    case diskFull(file: String, needed: Int64, available: Int64, directory: String)
    /// A local file operation failed (the system's reason).
    case io(path: String, message: String)
    /// Offline (HF_HUB_OFFLINE or no network) and the cache lacks the model or one of its files.
    case notInCache(repository: String, cache: String, why: String)
    /// `:QUANT` names no GGUF file of the repository.
    case quantNotFound(repository: String, quant: String, choices: [String])
    /// Several GGUF files and no `:QUANT` to pick one.
    case severalQuants(repository: String, choices: [String])
    /// `:QUANT` on a repository without GGUF files.
    case quantWithoutGGUF(repository: String, quant: String)
    /// Neither a GGUF file nor a checkpoint (config.json + .safetensors) in the repository.
    case noModelFiles(repository: String)
    /// The Hub answered something this client cannot read.
    case badResponse(url: String, message: String)

    public var description: String {
        switch self {
        case let .invalidReference(text, reason):
            return "hf:\(text): \(reason) (expected hf:ORG/NAME or hf:ORG/NAME:QUANT)"
        case let .repositoryNotFound(repository, page, hadToken):
            return hadToken
                ? "\(repository): no such model on the Hub, or your token cannot see it (\(page))"
                : "\(repository): no such model on the Hub (\(page)); if it is private, set HF_TOKEN or run `huggingface-cli login`"
        case let .fileNotFound(repository, file):
            return "\(repository): the Hub has no file '\(file)' in this repository"
        case let .revisionNotFound(repository, revision):
            return "\(repository): no revision '\(revision)' on the Hub"
        case let .accessDenied(repository, page, hadToken):
            return hadToken
                ? "\(repository) is gated and your token has no access to it yet: request access at \(page)"
                : "\(repository) is gated: a Hugging Face token is needed (set HF_TOKEN or run `huggingface-cli login`); request access at \(page)"
        case let .network(host, message):
            return "cannot reach the Hub at \(host): \(message) (the model is not in the cache either)"
        case let .server(status, url, message):
            return "the Hub answered HTTP \(status) for \(url)\(message.isEmpty ? "" : ": " + message)"
        case let .hashMismatch(file, expected, actual):
            return "\(file): downloaded bytes have sha256 \(actual), the Hub says \(expected); the download was discarded, run again"
        case let .truncated(file, received, expected):
            return "\(file): the connection ended after \(received) of \(expected) bytes; run again to resume"
        case let .diskFull(file, needed, available, directory):
            return "\(file): not enough disk space in \(directory): \(HubByteCount.text(needed)) needed, \(HubByteCount.text(available)) free"
        case let .io(path, message):
            return "\(path): \(message)"
        case let .notInCache(repository, cache, why):
            return "\(repository) is not in the Hugging Face cache (\(cache)) and \(why)"
        case let .quantNotFound(repository, quant, choices):
            return "\(repository) has no GGUF file for '\(quant)'; choose one of: \(choices.joined(separator: ", "))"
        case let .severalQuants(repository, choices):
            return "\(repository) has several GGUF files; pick one with \(repository):QUANT (hf:\(repository):QUANT for --model), QUANT one of: \(choices.joined(separator: ", "))"
        case let .quantWithoutGGUF(repository, quant):
            return "\(repository) has no GGUF files, so ':\(quant)' picks nothing; use hf:\(repository) (a checkpoint; --quantize quantises it)"
        case let .noModelFiles(repository):
            return "\(repository) holds neither a GGUF file nor a checkpoint (config.json and .safetensors)"
        case let .badResponse(url, message):
            return "unexpected answer from the Hub for \(url): \(message)"
        }
    }
}

/// Byte counts as people read them (decimal units, as download tools print them).
enum HubByteCount {
    /// "980 B", "12.3 kB", "98.4 MB", "1.23 GB".
    static func text(_ bytes: Int64) -> String {
        let b = Double(bytes)
        if b < 1000 { return "\(bytes) B" }
        if b < 1e6 { return String(format: "%.1f kB", b / 1e3) }
        if b < 1e9 { return String(format: "%.1f MB", b / 1e6) }
        return String(format: "%.2f GB", b / 1e9)
    }
}
