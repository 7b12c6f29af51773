import Foundation
import SkipChatTokenizer
import XCTest

/// Encoding equals the reference tokenizers (HF `tokenizers`, `sentencepiece`) on the committed
/// fixtures (scripts/fixtures/make_tokenizer_fixtures.py), and decoding restores the bytes.
final class FixtureTests: XCTestCase {
    func testSmolLM2FromGGUF() throws {
        try check(try Tokenizer(gguf: TestFiles.ggufVocabulary(TestFiles.defaultModel)), "smollm2")
    }

    func testStarCoderFromGGUF() throws {
        try check(try Tokenizer(gguf: TestFiles.ggufVocabulary(TestFiles.vocab("starcoder"))), "starcoder",
                  pairs: TestFiles.vocab("starcoder"))
    }

    func testGPT2FromGGUF() throws {
        try check(try Tokenizer(gguf: TestFiles.ggufVocabulary(TestFiles.vocab("gpt-2"))), "gpt2",
                  pairs: TestFiles.vocab("gpt-2"))
    }

    func testLlama3FromGGUF() throws {
        try check(try Tokenizer(gguf: TestFiles.ggufVocabulary(TestFiles.vocab("llama-bpe"))), "llama3",
                  pairs: TestFiles.vocab("llama-bpe"))
    }

    /// Qwen2 (pre-tokenizer "qwen2") and Phi-3 (SentencePiece) against llama.cpp's HF-generated pairs.
    func testQwen2AndPhi3FromGGUF() throws {
        for name in ["qwen2", "phi-3"] {
            let url = TestFiles.vocab(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw XCTSkip("\(url.path) missing (run scripts/fetch-test-vocabs.sh)")
            }
            let tok = try Tokenizer(gguf: TestFiles.ggufVocabulary(url))
            let cases = TestFiles.llamaCppPairs(url)
            XCTAssertGreaterThan(cases.count, 10, name)
            for c in cases { XCTAssertEqual(tok.encode(c.text), c.ids, "\(name): \(c.text.debugDescription)") }
        }
    }

    func testLlamaSentencePieceFromGGUF() throws {
        try check(try Tokenizer(gguf: TestFiles.ggufVocabulary(TestFiles.vocab("llama-spm"))), "llama-spm",
                  prefixed: Self.legacyPrefix, pairs: TestFiles.vocab("llama-spm"))
    }

    /// The same vocabularies through the tokenizer.json loader (files the fixture script leaves
    /// in the cache). Llama 2's vocabulary holds canonically equivalent Greek pieces that a
    /// String-keyed JSON decoder would merge.
    func testFullSizeTokenizerJSON() throws {
        var found = 0
        for name in ["smollm2", "gpt2", "llama3", "llama-spm"] {
            let url = TestFiles.cache.appendingPathComponent("vocab/\(name).tokenizer.json")
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            found += 1
            let tok = try Tokenizer(tokenizerJSON: url, tokenizerConfig: nil)
            if name == "llama-spm" {
                try check(tok, name, prefixed: Self.legacyPrefix)
            } else {
                try check(tok, name)
            }
        }
        if found == 0 { throw XCTSkip("no tokenizer.json in the cache (scripts/fixtures/make_tokenizer_fixtures.py)") }
    }

    func testTinySentencePieceFromGGUFVocabulary() throws {
        try check(try Tokenizer(gguf: tinySPMVocabulary()), "tiny-spm", prefixed: Self.legacyPrefix)
    }

    func testTinySentencePieceFromTokenizerJSON() throws {
        let tok = try Tokenizer(tokenizerJSON: TestFiles.fixtures.appendingPathComponent("tiny-spm.tokenizer.json"),
                                tokenizerConfig: nil)
        XCTAssertTrue(tok.addsBOS)
        XCTAssertEqual(tok.bosID, 1)
        try check(tok, "tiny-spm", prefixed: Self.legacyPrefix)
    }

    func testTinyByteLevelFromTokenizerJSON() throws {
        let tok = try Tokenizer(
            tokenizerJSON: TestFiles.fixtures.appendingPathComponent("tiny-bytelevel.tokenizer.json"),
            tokenizerConfig: TestFiles.fixtures.appendingPathComponent("tiny-bytelevel.tokenizer_config.json"))
        XCTAssertFalse(tok.addsBOS)
        XCTAssertEqual(tok.bosID, 1)
        XCTAssertEqual(tok.eosID, 2)
        XCTAssertNotNil(tok.chatTemplateSource)
        try check(tok, "tiny-bytelevel")
    }

    /// The tiny SentencePiece model as the GGUF reader would hand it over.
    private func tinySPMVocabulary() throws -> GGUFVocabulary {
        struct Export: Decodable {
            var model: String, tokens: [String], scores: [Float], token_type: [Int32]
            var bos_token_id: Int32, eos_token_id: Int32, unknown_token_id: Int32
            var add_bos_token: Bool, add_space_prefix: Bool
        }
        let data = try Data(contentsOf: TestFiles.fixtures.appendingPathComponent("tiny-spm.gguf-vocab.json"))
        let e = try JSONDecoder().decode(Export.self, from: data)
        return GGUFVocabulary(model: e.model, tokens: e.tokens, scores: e.scores, tokenTypes: e.token_type,
                              bosID: e.bos_token_id, eosID: e.eos_token_id, unknownID: e.unknown_token_id,
                              addBOS: e.add_bos_token, addSpacePrefix: e.add_space_prefix)
    }

    /// sentencepiece / legacy HF: every non-empty text gets a leading ▁.
    private static let legacyPrefix: @Sendable (String) -> Bool = { !$0.isEmpty }
    /// HF Metaspace: not when the text already starts with a space.
    private static let metaspacePrefix: @Sendable (String) -> Bool = { !$0.isEmpty && !$0.hasPrefix(" ") }

    func testTinySentencePieceMetaspaceFromTokenizerJSON() throws {
        for scheme in ["first", "always"] {
            let url = TestFiles.fixtures.appendingPathComponent("tiny-spm-metaspace-\(scheme).tokenizer.json")
            try check(try Tokenizer(tokenizerJSON: url, tokenizerConfig: nil), "tiny-spm-metaspace-\(scheme)",
                      prefixed: Self.metaspacePrefix)
        }
    }

    /// `prefixed`: for SentencePiece, whether decoding shows the dummy-prefix space before a text.
    /// `pairs`: a cached GGUF whose llama.cpp test pairs are checked too.
    private func check(_ tok: Tokenizer, _ name: String, prefixed: ((String) -> Bool)? = nil, pairs: URL? = nil,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TestFiles.fixture(name)
        let cases = fixture.cases + (pairs.map(TestFiles.llamaCppPairs) ?? [])
        var failures = 0
        for c in cases {
            let ids = tok.encode(c.text)
            if ids != c.ids {
                failures += 1
                if failures <= 10 {
                    XCTFail("\(name): \(c.text.debugDescription) → \(ids), expected \(c.ids)", file: file, line: line)
                }
                continue
            }
            // Decoding gives the text back (plus the dummy-prefix space SentencePiece adds).
            let decoded = try tok.decode(ids)
            // (Each text run between special tokens gets its own prefix: only plain texts are compared.)
            var expected = Array(c.text.utf8)
            if prefixed?(c.text) == true { expected.insert(0x20, at: 0) }
            let hasSpecial = prefixed != nil && ["<s>", "</s>", "<unk>"].contains { c.text.contains($0) }
            if !hasSpecial {
                XCTAssertEqual(decoded, expected, "\(name) decode \(c.text.debugDescription)", file: file, line: line)
            }
        }
        print("\(name): \(cases.count - failures)/\(cases.count) fixture cases match")
        XCTAssertEqual(failures, 0, "\(name): \(failures) of \(cases.count) cases differ", file: file, line: line)
    }
}
