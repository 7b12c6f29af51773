import Foundation
import Synchronization
import XCTest
@testable import SkipChatHub

/// Pulls from the loopback Hub (`Fixtures/hub_server.py`): the cache layout huggingface_hub
/// writes, redirects to the CDN, offline use, gated and missing repositories, a transfer cut
/// mid-file and its byte-exact resume, a wrong hash, a full disk, two pullers of one file.
final class HubPullTests: XCTestCase {
    /// sha256 by coreutils, independent of the code under test.
    func sha256sum(_ data: Data) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-sha-\(UUID())")
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")[0].description
    }

    func testPullWithQuantFollowsTheRedirectAndWritesTheHuggingFaceLayout() throws {
        let hub = try FakeHub()
        let q4 = pseudoRandomBytes(300_000, seed: 1), q8 = pseudoRandomBytes(200_000, seed: 2)
        try hub.addRepository("org/multi-GGUF", files: ["multi-Q4_K_M.gguf": q4, "multi-Q8_0.gguf": q8, "README.md": Data("hi".utf8)])
        let path = try hub.pull("org/multi-GGUF:q4_k_m")

        let folder = hub.cache.appendingPathComponent("models--org--multi-GGUF")
        let commit = try String(contentsOf: folder.appendingPathComponent("refs/main"), encoding: .utf8)
        XCTAssertEqual(commit.count, 40)
        XCTAssertEqual(path.path, folder.appendingPathComponent("snapshots/\(commit)/multi-Q4_K_M.gguf").path)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path.path), "../../blobs/" + (try sha256sum(q4)))
        XCTAssertEqual(try Data(contentsOf: path), q4)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("blobs").path), [try sha256sum(q4)])
        let requests = hub.requests()
        XCTAssertTrue(requests.contains { $0.method == "GET" && $0.path == "/api/models/org/multi-GGUF/revision/main" }, "\(requests)")
        XCTAssertTrue(requests.contains { $0.method == "HEAD" && $0.path == "/org/multi-GGUF/resolve/\(commit)/multi-Q4_K_M.gguf" }, "\(requests)")
        XCTAssertTrue(requests.contains { $0.method == "GET" && $0.path.hasPrefix("/cdn/") }, "\(requests)")
        XCTAssertFalse(requests.contains { $0.path.contains("Q8_0") }, "only the picked file is fetched")

        // Again: the blob is there, nothing is transferred.
        let before = hub.requests().count
        XCTAssertEqual(try hub.pull("org/multi-GGUF:Q4_K_M"), path)
        XCTAssertFalse(hub.requests()[before...].contains { $0.path.hasPrefix("/cdn/") })
        // Without a quant the choices are listed.
        XCTAssertThrowsError(try hub.pull("org/multi-GGUF")) { error in
            XCTAssertEqual(error as? HubError, .severalQuants(repository: "org/multi-GGUF", choices: ["Q4_K_M", "Q8_0"]))
        }
    }

    func testOfflineAndUnreachableUseTheCacheWithoutARequest() throws {
        let hub = try FakeHub()
        let data = pseudoRandomBytes(50_000, seed: 3)
        try hub.addRepository("org/one", files: ["one-Q8_0.gguf": data])
        XCTAssertThrowsError(try hub.pull("org/one", offline: true)) { error in
            XCTAssertTrue("\(error)".contains("is not in the Hugging Face cache"), "\(error)")
            XCTAssertTrue("\(error)".contains("HF_HUB_OFFLINE"), "\(error)")
        }
        let path = try hub.pull("org/one")
        let count = hub.requests().count
        XCTAssertEqual(try hub.pull("org/one", offline: true), path)
        XCTAssertEqual(try hub.pull("org/one:q8_0", offline: true), path)
        XCTAssertEqual(hub.requests().count, count, "offline makes no request")

        // No network: a closed port; the cache answers, with one status line.
        let closed = HubEnvironment(endpoint: URL(string: "http://127.0.0.1:1")!, token: nil, cacheDirectory: hub.cache, offline: false)
        var lines: [String] = []
        XCTAssertEqual(try HubPull(environment: closed, showProgress: false, log: { lines.append($0) }).modelPath(for: HubModelReference(parsing: "org/one")), path)
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].contains("using the cached copy"), lines[0])
        XCTAssertThrowsError(try HubPull(environment: closed, showProgress: false, log: { _ in }).modelPath(for: HubModelReference(parsing: "org/other"))) { error in
            guard case .network = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    /// A cache written by another tool, laid out as huggingface_hub documents it, is found offline.
    func testACacheOtherToolsWroteIsFound() throws {
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-hfcache-\(UUID())")
        defer { try? FileManager.default.removeItem(at: cache) }
        let folder = cache.appendingPathComponent("models--meta--ckpt")
        let commit = String(repeating: "ab", count: 20)
        for name in ["blobs", "refs", "snapshots/\(commit)"] {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try Data(commit.utf8).write(to: folder.appendingPathComponent("refs/main"))
        for (name, blob) in [("config.json", "c1"), ("model.safetensors", "c2"), ("tokenizer.json", "c3")] {
            try Data(name.utf8).write(to: folder.appendingPathComponent("blobs/\(blob)"))
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("snapshots/\(commit)/\(name)").path,
                                                       withDestinationPath: "../../blobs/\(blob)")
        }
        let environment = HubEnvironment(endpoint: URL(string: "http://127.0.0.1:1")!, token: nil, cacheDirectory: cache, offline: true)
        let path = try HubPull(environment: environment, showProgress: false).modelPath(for: HubModelReference(parsing: "meta/ckpt"))
        XCTAssertEqual(path.path, folder.appendingPathComponent("snapshots/\(commit)").path)
        // A pinned commit resolves too.
        XCTAssertEqual(try HubPull(environment: environment, showProgress: false).modelPath(for: HubModelReference(parsing: "meta/ckpt"), revision: commit), path)
    }

    func testGatedRepositoriesNeedAToken() throws {
        let hub = try FakeHub()
        try hub.addRepository("facebook/layerskip-tiny", files: ["config.json": Data("{}".utf8), "model.safetensors": pseudoRandomBytes(1000, seed: 4),
                                                                 ".token": Data("hf_secret".utf8)])
        for (token, hadToken) in [(nil, false), ("hf_wrong", true)] as [(String?, Bool)] {
            XCTAssertThrowsError(try hub.pull("facebook/layerskip-tiny", token: token)) { error in
                XCTAssertEqual(error as? HubError, .accessDenied(repository: "facebook/layerskip-tiny", page: hub.endpoint.absoluteString + "/facebook/layerskip-tiny", hadToken: hadToken))
                let text = "\(error)"
                XCTAssertTrue(text.contains("request access at \(hub.endpoint.absoluteString)/facebook/layerskip-tiny"), text)
                XCTAssertTrue(hadToken || text.contains("HF_TOKEN"), text)
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: hub.cache.appendingPathComponent("models--facebook--layerskip-tiny/snapshots").path))
        let path = try hub.pull("facebook/layerskip-tiny", token: "hf_secret")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: path.path)), ["config.json", "model.safetensors"])
        // The token goes to the Hub's host; the CDN (here the same host, so it gets it too) is
        // reached by the redirect's Location.
        XCTAssertTrue(hub.requests().contains { $0.path.hasPrefix("/facebook/") && $0.auth == "Bearer hf_secret" })
    }

    /// As huggingface_hub: the token goes to the Hub, never to a CDN on another host, whether the
    /// Hub's 302 names that host or a redirect on the way does.
    func testTheTokenNeverGoesToAnotherHost() throws {
        let hub = try FakeHub()
        for mode in ["other-host", "hop"] {
            let data = pseudoRandomBytes(200_000, seed: mode == "hop" ? 11 : 10)
            try hub.addRepository("org/gated-\(mode)", files: ["gated-Q8_0.gguf": data, ".token": Data("hf_secret".utf8), ".cdn": Data(mode.utf8)])
            XCTAssertEqual(try Data(contentsOf: try hub.pull("org/gated-\(mode)", token: "hf_secret")), data)
        }
        let requests = hub.requests()
        let cdn = requests.filter { $0.path.hasPrefix("/cdn/") }
        XCTAssertEqual(cdn.filter { $0.host?.hasPrefix("localhost:") == true }.count, 2, "\(cdn)")
        XCTAssertTrue(cdn.allSatisfy { $0.host?.hasPrefix("localhost:") == false || $0.auth == nil }, "\(cdn)")
        XCTAssertTrue(requests.filter { $0.path.hasPrefix("/org/") || $0.path.hasPrefix("/api/") }.allSatisfy { $0.auth == "Bearer hf_secret" }, "\(requests)")
    }

    func testMissingRepositoryAndFileAreOneLineEach() throws {
        let hub = try FakeHub()
        try hub.addRepository("org/one", files: ["one-Q8_0.gguf": pseudoRandomBytes(100, seed: 5)])
        XCTAssertThrowsError(try hub.pull("org/none")) { error in
            guard case .repositoryNotFound = error as? HubError else { return XCTFail("\(error)") }
        }
        let client = try HubClient(environment: hub.environment())
        XCTAssertThrowsError(try client.metadata(HubModelReference(parsing: "org/one"), revision: "main", file: "missing.gguf")) { error in
            XCTAssertEqual(error as? HubError, .fileNotFound(repository: "org/one", file: "missing.gguf"))
        }
        XCTAssertThrowsError(try hub.pull("org/one:Q2_K")) { error in
            XCTAssertEqual(error as? HubError, .quantNotFound(repository: "org/one", quant: "Q2_K", choices: ["Q8_0"]))
        }
    }

    func testACutTransferKeepsItsPartialBlobAndResumesByteExact() throws {
        let hub = try FakeHub()
        let data = pseudoRandomBytes(3_000_000, seed: 6)
        try hub.addRepository("org/cut", files: ["cut-Q4_0.gguf": data, ".cut": Data("cut-Q4_0.gguf=1234567".utf8)])
        let sha = try sha256sum(data)
        let folder = hub.cache.appendingPathComponent("models--org--cut")
        XCTAssertThrowsError(try hub.pull("org/cut")) { error in
            XCTAssertEqual(error as? HubError, .truncated(file: "cut-Q4_0.gguf", received: 1_234_567, expected: 3_000_000))
        }
        let partial = folder.appendingPathComponent("blobs/\(sha).incomplete")
        XCTAssertEqual(try Data(contentsOf: partial), data.prefix(1_234_567))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("blobs/\(sha)").path))
        let snapshotFiles = FileManager.default.enumerator(atPath: folder.appendingPathComponent("snapshots").path)?.allObjects ?? []
        XCTAssertEqual(snapshotFiles.count, 0, "no partial file in the snapshot: \(snapshotFiles)")

        let path = try hub.pull("org/cut")
        XCTAssertEqual(try Data(contentsOf: path), data)
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial.path))
        let gets = hub.requests().filter { $0.method == "GET" && $0.path.hasPrefix("/cdn/") }
        XCTAssertEqual(gets.map(\.range), [nil, "bytes=1234567-"])
    }

    /// A CDN that ignores Range sends the whole file again: the partial blob starts over (and its
    /// hash with it) instead of appending a second copy.
    func testAResumeAnsweredWithTheWholeFileStartsOver() throws {
        let hub = try FakeHub()
        let data = pseudoRandomBytes(2_000_000, seed: 12)
        try hub.addRepository("org/norange", files: ["norange-Q4_0.gguf": data, ".cut": Data("norange-Q4_0.gguf=777777".utf8),
                                                    ".no-range": Data("norange-Q4_0.gguf".utf8)])
        XCTAssertThrowsError(try hub.pull("org/norange")) { error in
            XCTAssertEqual(error as? HubError, .truncated(file: "norange-Q4_0.gguf", received: 777_777, expected: 2_000_000))
        }
        XCTAssertEqual(try Data(contentsOf: try hub.pull("org/norange")), data)
        XCTAssertEqual(hub.requests().filter { $0.path.hasPrefix("/cdn/") }.map(\.range), [nil, "bytes=777777-"])
    }

    func testAWrongHashNeverEntersTheCache() throws {
        let hub = try FakeHub()
        try hub.addRepository("org/bad", files: ["bad-Q8_0.gguf": pseudoRandomBytes(70_000, seed: 7), ".wrong-hash": Data("bad-Q8_0.gguf".utf8)])
        XCTAssertThrowsError(try hub.pull("org/bad")) { error in
            guard case let .hashMismatch(file, _, actual) = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "bad-Q8_0.gguf")
            XCTAssertEqual(actual, try? sha256sum(pseudoRandomBytes(70_000, seed: 7)))
        }
        let folder = hub.cache.appendingPathComponent("models--org--bad")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("blobs").path), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("refs/main").path))
    }

    func testAFileLargerThanTheFreeSpaceIsRefusedBeforeTheTransfer() throws {
        let hub = try FakeHub()
        try hub.addRepository("org/huge", files: ["huge-F16.gguf": pseudoRandomBytes(1000, seed: 8), ".size": Data("huge-F16.gguf=999999999999999999".utf8)])
        XCTAssertThrowsError(try hub.pull("org/huge")) { error in
            guard case .diskFull = error as? HubError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("not enough disk space"), "\(error)")
        }
        XCTAssertFalse(hub.requests().contains { $0.path.hasPrefix("/cdn/") })
    }

    /// Two pullers of one file (two lock-file descriptions: flock treats them as two processes)
    /// take turns: one transfer, one whole blob, both get the path.
    func testTwoPullersOfOneFileTakeTurns() throws {
        let hub = try FakeHub(rate: 4_000_000)
        let data = pseudoRandomBytes(1_000_000, seed: 9)
        try hub.addRepository("org/shared", files: ["shared-Q4_K_M.gguf": data])
        let results = Mutex<[Result<URL, Error>]>([])
        let waited = Mutex(0)
        let environment = hub.environment()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let result = Result { try HubPull(environment: environment, showProgress: false, log: { line in
                if line.contains("waiting for another process") { waited.withLock { $0 += 1 } }
            }).modelPath(for: HubModelReference(parsing: "org/shared")) }
            results.withLock { $0.append(result) }
        }
        let paths = try results.withLock { try $0.map { try $0.get() } }
        XCTAssertEqual(paths[0], paths[1])
        XCTAssertEqual(try Data(contentsOf: paths[0]), data)
        XCTAssertEqual(hub.requests().filter { $0.path.hasPrefix("/cdn/") }.count, 1)
        XCTAssertEqual(waited.withLock { $0 }, 1)
    }
}
