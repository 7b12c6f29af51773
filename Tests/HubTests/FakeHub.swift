import Foundation
import XCTest
@testable import SkipChatHub

/// The loopback Hub (`Fixtures/hub_server.py`) on a free port, serving repositories the test
/// writes under `root`, and a fresh Hugging Face cache for the client.
final class FakeHub {
    let root: URL
    let cache: URL
    let log: URL
    let port: Int
    private let process: Process

    /// Starts the server; `rate` throttles the CDN (bytes a second).
    init(rate: Int? = nil) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-hub-\(UUID())")
        root = scratch.appendingPathComponent("repos")
        cache = scratch.appendingPathComponent("hf-home/hub")
        log = scratch.appendingPathComponent("requests.jsonl")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        guard let script = Bundle.module.url(forResource: "hub_server", withExtension: "py", subdirectory: "Fixtures") else {
            throw XCTSkip("Fixtures/hub_server.py is missing from the test bundle")
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--root", root.path, "--log", log.path] + (rate.map { ["--rate", "\($0)"] } ?? [])
        let output = Pipe()
        process.standardOutput = output
        do { try process.run() } catch { throw XCTSkip("python3 cannot run (scripts/setup.sh installs it): \(error)") }
        let line = output.fileHandleForReading.availableLine()
        guard let port = line.flatMap({ Int($0) }) else {
            process.terminate()
            throw XCTSkip("the loopback Hub did not start (python3 \(script.path))")
        }
        self.port = port
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent())
    }

    var endpoint: URL { URL(string: "http://127.0.0.1:\(port)")! }

    func environment(token: String? = nil, offline: Bool = false) -> HubEnvironment {
        HubEnvironment(endpoint: endpoint, token: token, cacheDirectory: cache, offline: offline)
    }

    /// Writes `files` (repository-relative path → bytes) into repository `repository`.
    func addRepository(_ repository: String, files: [String: Data]) throws {
        for (name, data) in files {
            let url = root.appendingPathComponent(repository + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }

    /// The requests the server saw: (method, path, Range header, Authorization header, Host header).
    func requests() -> [(method: String, path: String, range: String?, auth: String?, host: String?)] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return (object["method"] as? String ?? "", object["path"] as? String ?? "", object["range"] as? String, object["auth"] as? String,
                    object["host"] as? String)
        }
    }

    func pull(_ text: String, token: String? = nil, offline: Bool = false, log: @escaping (String) -> Void = { _ in }) throws -> URL {
        try HubPull(environment: environment(token: token, offline: offline), showProgress: false, log: log)
            .modelPath(for: HubModelReference(parsing: text))
    }
}

/// Deterministic bytes that differ from file to file (a linear congruential sequence).
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> Data {
    var state = seed &* 6364136223846793005 &+ 1442695040888963407
    var bytes = [UInt8](repeating: 0, count: count)
    for i in 0..<count {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        bytes[i] = UInt8(truncatingIfNeeded: state >> 33)
    }
    return Data(bytes)
}

extension FileHandle {
    /// Reads up to the first newline (the server's port line).
    func availableLine() -> String? {
        var bytes = Data()
        while true {
            let byte = readData(ofLength: 1)
            guard let first = byte.first else { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }
}
