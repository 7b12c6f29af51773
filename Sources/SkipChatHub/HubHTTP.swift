import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange at a time over URLSession (FoundationNetworking, libcurl underneath on
/// Linux), made synchronous for the command line: small requests return their body; a download
/// streams the body to a sink as it arrives.
final class HubHTTP: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// The answer to a request: status, headers (names lower-cased) and, for small requests, the body.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data
    }

    private let followRedirects: Bool
    private let sink: ((HTTPURLResponse, UnsafeRawBufferPointer) -> Bool)?
    private let done = DispatchSemaphore(value: 0)
    private var response: HTTPURLResponse?
    private var body = Data()
    private var failure: Error?
    private var stoppedBySink = false

    private init(followRedirects: Bool, sink: ((HTTPURLResponse, UnsafeRawBufferPointer) -> Bool)?) {
        self.followRedirects = followRedirects
        self.sink = sink
    }

    /// Sends `request` and waits for the whole answer. Redirects are followed only when
    /// `followRedirects` (huggingface_hub reads the Hub's own 302 to find the CDN URL and headers).
    /// - Throws: the transport error (`URLError`), not HTTP statuses.
    static func send(_ request: URLRequest, followRedirects: Bool) throws -> Response {
        let exchange = HubHTTP(followRedirects: followRedirects, sink: nil)
        return try exchange.run(request)
    }

    /// Sends `request`; for a 2xx answer every body chunk goes to `sink(response, bytes)`, which
    /// returns false to stop the transfer. Other statuses return their body as with `send`.
    /// - Throws: the transport error (`URLError`), also when the connection ends early; not when
    ///   `sink` stopped it.
    static func stream(_ request: URLRequest, sink: @escaping (HTTPURLResponse, UnsafeRawBufferPointer) -> Bool) throws -> Response {
        let exchange = HubHTTP(followRedirects: true, sink: sink)
        return try exchange.run(request)
    }

    private func run(_ request: URLRequest) throws -> Response {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.urlCache = nil
        configuration.timeoutIntervalForRequest = 60
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: self, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: request).resume()
        done.wait()
        if let failure, !stoppedBySink { throw failure }
        guard let response else { throw URLError(.badServerResponse) }
        var headers: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key.lowercased()] = value }
        }
        return Response(status: response.statusCode, headers: headers, body: body)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        self.response = response as? HTTPURLResponse
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let response, let sink, (200..<300).contains(response.statusCode) else {
            if body.count < 1 << 20 { body.append(data) }
            return
        }
        let keepGoing = data.withUnsafeBytes { sink(response, $0) }
        if !keepGoing {
            stoppedBySink = true
            dataTask.cancel()
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
        completionHandler(followRedirects ? request : nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        failure = error
        done.signal()
    }
}
