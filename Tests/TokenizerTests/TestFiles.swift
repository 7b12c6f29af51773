import Foundation
import SkipChatTokenizer
import XCTest

/// Where the tests find their inputs: committed fixtures, and cached vocabularies
/// (scripts/fetch-model.sh, scripts/fetch-test-vocabs.sh) that tests skip without.
enum TestFiles {
    static var fixtures: URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
    }

    static var cache: URL {
        let env = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
        let base = env.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return base.appendingPathComponent("skipchat")
    }

    static var defaultModel: URL {
        cache.appendingPathComponent("models/SmolLM2-135M-Instruct.Q4_1.gguf")
    }

    static func vocab(_ name: String) -> URL {
        cache.appendingPathComponent("vocab/ggml-vocab-\(name).gguf")
    }

    /// The GGUF's vocabulary, or XCTSkip when the file is not cached.
    static func ggufVocabulary(_ url: URL) throws -> GGUFVocabulary {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("\(url.path) not present (scripts/fetch-model.sh, scripts/fetch-test-vocabs.sh)")
        }
        return try GGUFMetadataReader.vocabulary(at: url)
    }

    struct Case: Decodable {
        var text: String
        var ids: [Int32]
    }

    struct Fixture: Decodable {
        var tokenizer: String
        var cases: [Case]
    }

    /// llama.cpp's HF-generated test pairs next to a cached vocab GGUF (`.inp`: texts separated
    /// by `__ggml_vocab_test__` lines; `.out`: one line of ids per text). Empty when absent.
    static func llamaCppPairs(_ gguf: URL) -> [Case] {
        guard let inp = try? String(contentsOf: URL(fileURLWithPath: gguf.path + ".inp"), encoding: .utf8),
              let out = try? String(contentsOf: URL(fileURLWithPath: gguf.path + ".out"), encoding: .utf8)
        else { return [] }
        var texts = inp.components(separatedBy: "\n__ggml_vocab_test__\n")
        if let last = texts.popLast() {
            texts.append(last.hasSuffix("\n__ggml_vocab_test__") ? String(last.dropLast(20)) : last)
        }
        let ids = out.components(separatedBy: "\n").map { $0.split(separator: " ").compactMap { Int32($0) } }
        return zip(texts, ids).map { Case(text: $0, ids: $1) }
    }

    static func fixture(_ name: String) throws -> Fixture {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("\(name).json"))
        return try JSONDecoder().decode(Fixture.self, from: data)
    }
}
