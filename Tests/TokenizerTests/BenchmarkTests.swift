import Foundation
import SkipChatTokenizer
import XCTest

/// Issue 7 item 6: encoding ≥ 1 MB/s on English prose (one core) and < 200 ms vocabulary load
/// for the default model. Targets are asserted only in release builds
/// (`swift test -c release --filter BenchmarkTests`); debug builds just report.
final class BenchmarkTests: XCTestCase {
    /// English prose: the licence texts every Debian system ships, else the fixture prose.
    private func prose() throws -> [String] {
        let dir = URL(fileURLWithPath: "/usr/share/common-licenses")
        let names = ["GPL-3", "LGPL-3", "Apache-2.0", "MPL-2.0", "GFDL-1.3", "Artistic", "CC0-1.0"]
        let texts = names.compactMap { try? String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8) }
        if !texts.isEmpty { return texts }
        return [try TestFiles.fixture("tiny-spm").cases.map(\.text).joined(separator: "\n")]
    }

    func testEncodingThroughput() throws {
        let tok = try Tokenizer(gguf: TestFiles.ggufVocabulary(TestFiles.defaultModel))
        let texts = try prose()
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        var tokens = 0
        let start = ContinuousClock.now
        var rounds = 0
        while ContinuousClock.now - start < .seconds(1) || rounds == 0 {
            for t in texts { tokens += tok.encode(t).count }
            rounds += 1
        }
        let seconds = (ContinuousClock.now - start) / .seconds(1)
        let mbps = Double(bytes * rounds) / seconds / 1e6
        print(String(format: "encode: %.2f MB/s (%d bytes × %d rounds, %.1f bytes/token)",
                     mbps, bytes, rounds, Double(bytes * rounds) / Double(tokens)))
        #if !DEBUG
        XCTAssertGreaterThanOrEqual(mbps, 1.0)
        #endif
    }

    func testDefaultModelLoadTime() throws {
        let vocab = try TestFiles.ggufVocabulary(TestFiles.defaultModel)
        var best = Double.infinity
        for _ in 0..<5 {
            let start = ContinuousClock.now
            _ = try Tokenizer(gguf: vocab)
            best = min(best, (ContinuousClock.now - start) / .milliseconds(1))
        }
        print(String(format: "load (GGUFVocabulary → Tokenizer): %.1f ms", best))
        #if !DEBUG
        XCTAssertLessThan(best, 200)
        #endif
    }

    /// Reported only: the 128k-token Llama 3 vocabulary, from GGUF metadata and from tokenizer.json.
    func testLlama3LoadTimes() throws {
        let vocab = try TestFiles.ggufVocabulary(TestFiles.vocab("llama-bpe"))
        var start = ContinuousClock.now
        _ = try Tokenizer(gguf: vocab)
        print(String(format: "llama3 load (GGUFVocabulary → Tokenizer): %.1f ms", (ContinuousClock.now - start) / .milliseconds(1)))
        let json = TestFiles.cache.appendingPathComponent("vocab/llama3.tokenizer.json")
        guard FileManager.default.fileExists(atPath: json.path) else { return }
        start = ContinuousClock.now
        _ = try Tokenizer(tokenizerJSON: json, tokenizerConfig: nil)
        print(String(format: "llama3 load (tokenizer.json, 6.6 MB): %.1f ms", (ContinuousClock.now - start) / .milliseconds(1)))
    }
}
