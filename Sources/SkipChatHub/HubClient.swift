import Foundation

/// The Hub's HTTP API as huggingface_hub uses it (`hf_api.py` `model_info`, `file_download.py`
/// `get_hf_file_metadata` / `http_get`):
/// - `GET {endpoint}/api/models/{repo}/revision/{rev}`: the commit (`sha`) and file list (`siblings`);
/// - `HEAD {endpoint}/{repo}/resolve/{rev}/{file}` without following the redirect: `X-Repo-Commit`,
///   `X-Linked-Etag` / `ETag`, `X-Linked-Size` / `Content-Length`, and `Location` (the CDN URL);
/// - `GET` the CDN URL, with `Range: bytes=N-` to resume.
/// The token goes only to the endpoint's host and port (huggingface_hub drops it when the CDN's
/// `netloc` differs from the Hub's). All requests of one client share one libcurl handle.
struct HubClient {
    let environment: HubEnvironment
    private let http: HubHTTP

    /// - Throws: `HubError.network` when libcurl cannot start.
    init(environment: HubEnvironment) throws(HubError) {
        self.environment = environment
        do {
            http = try HubHTTP()
        } catch {
            throw .network(host: Self.hostText(environment.endpoint), message: error.message)
        }
    }

    /// What the API says of a repository at a revision.
    struct ModelInfo {
        var commit: String
        var files: [String]
    }

    /// What the resolve endpoint says of a file.
    struct FileMetadata {
        var commit: String
        /// sha256 for LFS files, the git blob sha1 for others (quotes and `W/` removed).
        var etag: String
        var size: Int64
        /// Where the bytes are: the CDN URL the Hub redirects to, or the resolve URL itself.
        var location: URL
    }

    func modelInfo(_ reference: HubModelReference, revision: String) throws(HubError) -> ModelInfo {
        let url = endpointURL("api/models/\(reference.repository)/revision/\(percentEncoded(revision))")
        let response = try send(request(url, method: .get), followRedirects: true)
        try check(response, url: url, reference: reference, file: nil, revision: revision)
        guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
              let commit = object["sha"] as? String,
              let siblings = object["siblings"] as? [[String: Any]] else {
            throw .badResponse(url: url.absoluteString, message: "no 'sha' and 'siblings' in the model's JSON")
        }
        return ModelInfo(commit: commit, files: siblings.compactMap { $0["rfilename"] as? String })
    }

    func metadata(_ reference: HubModelReference, revision: String, file: String) throws(HubError) -> FileMetadata {
        let url = endpointURL("\(reference.repository)/resolve/\(percentEncoded(revision))/\(file.split(separator: "/").map { percentEncoded(String($0)) }.joined(separator: "/"))")
        var head = request(url, method: .head)
        head.setHeader("Accept-Encoding", "identity")
        let response = try send(head, followRedirects: false)
        try check(response, url: url, reference: reference, file: file, revision: revision)
        let headers = response.headers
        guard let commit = headers["x-repo-commit"] else { throw .badResponse(url: url.absoluteString, message: "no X-Repo-Commit header") }
        guard let rawEtag = headers["x-linked-etag"] ?? headers["etag"] else { throw .badResponse(url: url.absoluteString, message: "no ETag header") }
        guard let size = (headers["x-linked-size"] ?? headers["content-length"]).flatMap({ Int64($0) }) else {
            throw .badResponse(url: url.absoluteString, message: "no file size (X-Linked-Size or Content-Length)")
        }
        var etag = rawEtag
        if etag.hasPrefix("W/") { etag.removeFirst(2) }
        etag = etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard !etag.isEmpty, etag.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw .badResponse(url: url.absoluteString, message: "an ETag that cannot name a file")
        }
        var location = url
        if (300..<400).contains(response.status), let target = headers["location"], let resolved = URL(string: target, relativeTo: url) {
            location = resolved.absoluteURL
        }
        return FileMetadata(commit: commit, etag: etag, size: size, location: location)
    }

    /// A request with skipchat's user agent and, for the endpoint's host, the token.
    func request(_ url: URL, method: HubHTTP.Request.Method) -> HubHTTP.Request {
        var request = HubHTTP.Request(url: url, method: method)
        request.setHeader("User-Agent", "skipchat (huggingface_hub conventions)")
        if let token = environment.token, url.host == environment.endpoint.host, url.port == environment.endpoint.port {
            request.setHeader("Authorization", "Bearer \(token)")
        }
        return request
    }

    func send(_ request: HubHTTP.Request, followRedirects: Bool) throws(HubError) -> HubHTTP.Response {
        do {
            return try http.send(request, followRedirects: followRedirects)
        } catch {
            throw networkError(error)
        }
    }

    /// Streams `request`'s body to `sink` (see `HubHTTP.stream`).
    func stream(_ request: HubHTTP.Request, sink: @escaping HubHTTP.Sink) throws(HubHTTP.Failure) -> HubHTTP.Response {
        try http.stream(request, sink: sink)
    }

    func networkError(_ error: HubHTTP.Failure) -> HubError {
        .network(host: Self.hostText(environment.endpoint), message: error.message)
    }

    private static func hostText(_ endpoint: URL) -> String {
        endpoint.host.map { h in endpoint.port.map { "\(h):\($0)" } ?? h } ?? endpoint.absoluteString
    }

    /// Maps an error status to the `HubError` huggingface_hub raises for it (`hf_raise_for_status`):
    /// the `X-Error-Code` header tells RepoNotFound / RevisionNotFound / EntryNotFound / GatedRepo.
    func check(_ response: HubHTTP.Response, url: URL, reference: HubModelReference, file: String?, revision: String) throws(HubError) {
        let status = response.status
        if (200..<400).contains(status) { return }
        let code = response.headers["x-error-code"]
        let hadToken = environment.token != nil
        let page = environment.page(of: reference.repository)
        if code == "RepoNotFound" || (status == 404 && code == nil && file == nil) {
            throw .repositoryNotFound(repository: reference.repository, page: page, hadToken: hadToken)
        }
        switch (status, code) {
        case (_, "RevisionNotFound"):
            throw .revisionNotFound(repository: reference.repository, revision: revision)
        case (_, "EntryNotFound"), (404, _):
            throw .fileNotFound(repository: reference.repository, file: file ?? url.path)
        case (401, _), (403, _):
            throw .accessDenied(repository: reference.repository, page: page, hadToken: hadToken)
        default:
            let message = response.headers["x-error-message"] ?? ""
            throw .server(status: status, url: url.absoluteString, message: String(message.prefix(200)))
        }
    }

    func endpointURL(_ path: String) -> URL {
        URL(string: environment.endpoint.absoluteString + "/" + path)!
    }

    func percentEncoded(_ part: String) -> String {
        part.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? part
    }
}
