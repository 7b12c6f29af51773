import CCurl
import Foundation

/// HTTP for the Hub over libcurl's easy interface, synchronous for the command line. One
/// instance keeps one handle, so the API call, the HEAD requests and the downloads of one pull
/// reuse a connection (and a TLS session) per host. Body bytes go from libcurl's receive buffer
/// straight to the caller's sink, with no copy in between. One thread at a time.
///
/// Redirects, when followed, are http(s) only and at most 10; libcurl does not send a custom
/// `Authorization` header to another host (or port) on a redirect (`CURLOPT_UNRESTRICTED_AUTH`
/// stays off), as requests/httpx drop it in huggingface_hub. Proxies come from the usual
/// `http_proxy` / `https_proxy` / `no_proxy` variables, as in huggingface_hub.
final class HubHTTP {
    /// One request: method, absolute http(s) URL, extra headers sent as given.
    struct Request {
        enum Method: String { case get = "GET", head = "HEAD" }
        var url: URL
        var method: Method
        var headers: [(name: String, value: String)] = []

        mutating func setHeader(_ name: String, _ value: String) {
            headers.removeAll { $0.name.caseInsensitiveCompare(name) == .orderedSame }
            headers.append((name, value))
        }
    }

    /// The status line and headers (names lower-cased) of the final answer, and the body of a
    /// `send` or of a non-2xx `stream` (at most `bodyLimit` bytes kept).
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    /// A transport failure: no HTTP answer, or an answer that stopped early. libcurl's code and
    /// its one-line message (e.g. "Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't
    /// connect to server").
    struct Failure: Error, CustomStringConvertible {
        var code: CURLcode
        var message: String
        /// Nothing was exchanged with the server: a name that does not resolve, a refused connection.
        var beforeConnecting: Bool {
            code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_COULDNT_CONNECT
        }
        var description: String { message }
    }

    /// Receives each chunk of a 2xx body: the answer's status and headers, and the bytes (valid
    /// only during the call). Returns false to stop the transfer.
    typealias Sink = (_ status: Int, _ headers: [String: String], _ bytes: UnsafeRawBufferPointer) -> Bool

    /// libcurl's receive buffer: each read from the socket (and each sink call) is up to this
    /// many bytes. 1 MiB: fewer callbacks and `write` calls than the 16 kB default, no faster above
    /// (scripts/bench-pull.sh, docs/performance.md).
    static let receiveBufferBytes = 1 << 20
    /// The most body bytes kept in a `Response` (an API answer, an error page).
    static let bodyLimit = 64 << 20
    /// Seconds to connect (huggingface_hub's default timeout is 10 s).
    static let connectTimeout = 10
    /// A transfer that receives nothing for this many seconds fails.
    static let idleTimeout = 60

    private static let globalInit: CURLcode = skipchat_curl_global_init()
    private let handle: UnsafeMutableRawPointer

    /// - Throws: `Failure` when libcurl cannot start (its global set-up or a handle failed).
    init() throws(Failure) {
        guard Self.globalInit == CURLE_OK, let handle = curl_easy_init() else {
            throw Failure(code: CURLE_FAILED_INIT, message: "libcurl could not start: \(String(cString: curl_easy_strerror(Self.globalInit)))")
        }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    /// Sends `request` and returns the whole answer. Redirects are followed only when
    /// `followRedirects` (the Hub's own 302 is read, not followed, for its headers and `Location`).
    /// - Throws: `Failure` for transport errors, never for an HTTP status.
    func send(_ request: Request, followRedirects: Bool) throws(Failure) -> Response {
        try perform(request, followRedirects: followRedirects, sink: nil)
    }

    /// Sends `request`, following redirects; every chunk of a 2xx body goes to `sink` as it
    /// arrives. Other statuses return their body as `send` does.
    /// - Throws: `Failure`, also when the connection ends before the body does; not when `sink` stopped it.
    func stream(_ request: Request, sink: @escaping Sink) throws(Failure) -> Response {
        try perform(request, followRedirects: true, sink: sink)
    }

    private func perform(_ request: Request, followRedirects: Bool, sink: Sink?) throws(Failure) -> Response {
        curl_easy_reset(handle)   // options only: the connection cache stays
        let exchange = Exchange(sink: sink)
        let errorText = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorText.deallocate() }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in request.headers { list = curl_slist_append(list, "\(header.name): \(header.value)") }
        defer { curl_slist_free_all(list) }
        let context = Unmanaged.passUnretained(exchange).toOpaque()

        skipchat_curl_set_string(handle, CURLOPT_URL, request.url.absoluteString)
        skipchat_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        skipchat_curl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        if request.method == .head { skipchat_curl_set_long(handle, CURLOPT_NOBODY, 1) }
        skipchat_curl_set_pointer(handle, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
        skipchat_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, followRedirects ? 1 : 0)
        skipchat_curl_set_long(handle, CURLOPT_MAXREDIRS, 10)
        skipchat_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        skipchat_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, Self.connectTimeout)
        skipchat_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        skipchat_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, Self.idleTimeout)
        skipchat_curl_set_long(handle, CURLOPT_BUFFERSIZE, Self.receiveBufferBytes)
        skipchat_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorText))
        skipchat_curl_set_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, context in
            Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().header(UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        skipchat_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        skipchat_curl_set_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            return Unmanaged<Exchange>.fromOpaque(context!).takeUnretainedValue().body(bytes) ? size * count : 0
        }
        skipchat_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)

        let code = withExtendedLifetime(exchange) { curl_easy_perform(handle) }
        if code != CURLE_OK && !(code == CURLE_WRITE_ERROR && exchange.stoppedBySink) {
            let detail = String(cString: errorText)
            throw Failure(code: code, message: detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
        return Response(status: exchange.status, headers: exchange.headers, body: exchange.kept)
    }

    /// What libcurl's callbacks have delivered so far.
    private final class Exchange {
        let sink: Sink?
        var status = 0
        var headers: [String: String] = [:]
        var kept = Data()
        var stoppedBySink = false

        init(sink: Sink?) { self.sink = sink }

        /// One header line (CRLF included). A status line starts a new answer (after a followed
        /// redirect, the headers are those of the last one).
        func header(_ line: UnsafeRawBufferPointer) {
            let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix("HTTP/") {
                let parts = text.split(separator: " ", maxSplits: 2)
                status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
                headers = [:]
            } else if let colon = text.firstIndex(of: ":") {
                headers[text[..<colon].lowercased()] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }

        func body(_ bytes: UnsafeRawBufferPointer) -> Bool {
            if let sink, (200..<300).contains(status) {
                guard sink(status, headers, bytes) else {
                    stoppedBySink = true
                    return false
                }
                return true
            }
            if kept.count < HubHTTP.bodyLimit { kept.append(contentsOf: bytes.prefix(HubHTTP.bodyLimit - kept.count)) }
            return true
        }
    }
}
