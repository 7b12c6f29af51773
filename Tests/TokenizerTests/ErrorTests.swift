import Foundation
import SkipChatTokenizer
import XCTest

/// Bad input gives clear one-line errors and never crashes.
final class ErrorTests: XCTestCase {
    private func writeJSON(_ object: [String: Any]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tok-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private func assertError(_ expected: TokenizerError, _ body: () throws -> Tokenizer,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? TokenizerError, expected, file: file, line: line)
            XCTAssertFalse("\(error)".contains("\n"), file: file, line: line)
        }
    }

    /// Found by `skipchat bench fuzz --parser tokenizer`: a vocab id of 16 000 000 in a 100-byte file
    /// made the loader allocate a 16M-entry id table; ids are now bounded by the entry count.
    func testIDFarBeyondEntryCountIsRejected() throws {
        let url = try writeJSON(["model": ["type": "BPE", "vocab": ["a": 0, "b": 16_000_000], "merges": [String]()]])
        XCTAssertThrowsError(try Tokenizer(tokenizerJSON: url, tokenizerConfig: nil)) { error in
            XCTAssertEqual("\(error)".contains("'b' has no valid id (ids must be below 1028 for 2 entries)"), true, "\(error)")
        }
    }

    func testUnsupportedModelTypes() throws {
        for type in ["WordPiece", "Unigram", "WordLevel"] {
            let url = try writeJSON(["model": ["type": type, "vocab": ["a": 0]]])
            assertError(.unsupportedModel(type)) { try Tokenizer(tokenizerJSON: url, tokenizerConfig: nil) }
        }
        assertError(.unsupportedModel("bert")) { try Tokenizer(gguf: GGUFVocabulary(model: "bert", tokens: ["a"])) }
        XCTAssertEqual(TokenizerError.unsupportedModel("WordPiece").description,
                       "unsupported tokenizer model type 'WordPiece' (only BPE: gpt2 byte-level or SentencePiece llama)")
    }

    func testMissingFields() throws {
        let noModel = try writeJSON(["version": "1.0"])
        assertError(.missingField("model")) { try Tokenizer(tokenizerJSON: noModel, tokenizerConfig: nil) }
        let noMerges = try writeJSON(["model": ["type": "BPE", "vocab": ["a": 0]]])
        assertError(.missingField("model.merges")) { try Tokenizer(tokenizerJSON: noMerges, tokenizerConfig: nil) }
        assertError(.missingField("tokenizer.ggml.merges")) {
            try Tokenizer(gguf: GGUFVocabulary(model: "gpt2", tokens: ["a"]))
        }
        assertError(.missingField("tokenizer.ggml.scores")) {
            try Tokenizer(gguf: GGUFVocabulary(model: "llama", tokens: ["a"]))
        }
        let missing = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        XCTAssertThrowsError(try Tokenizer(tokenizerJSON: missing, tokenizerConfig: nil)) { error in
            guard case .unreadableFile? = error as? TokenizerError else { return XCTFail("\(error)") }
        }
    }

    func testUnsupportedPreTokenizer() throws {
        let url = try writeJSON(["model": ["type": "BPE", "vocab": ["a": 0], "merges": [String]()],
                                 "pre_tokenizer": ["type": "Whitespace"]])
        assertError(.unsupportedPreTokenizer("[Whitespace]")) { try Tokenizer(tokenizerJSON: url, tokenizerConfig: nil) }
        assertError(.unsupportedPreTokenizer("'deepseek-llm' (tokenizer.ggml.pre)")) {
            try Tokenizer(gguf: GGUFVocabulary(model: "gpt2", pre: "deepseek-llm", tokens: ["a"], merges: []))
        }
    }

    func testBadMerges() {
        XCTAssertThrowsError(try Tokenizer(gguf: GGUFVocabulary(model: "gpt2", tokens: ["a", "b"], merges: ["a b"])))
        XCTAssertThrowsError(try Tokenizer(gguf: GGUFVocabulary(model: "gpt2", tokens: ["a"], merges: ["ab"])))
        XCTAssertThrowsError(try Tokenizer(gguf: GGUFVocabulary(model: "gpt2", tokens: ["a"], merges: [], bosID: 5)))
    }

    func testUnknownIDsInDecode() throws {
        let tok = try TinyTokenizers.byteLevel()
        XCTAssertThrowsError(try tok.decode([5, Int32(tok.vocabularySize)])) { error in
            XCTAssertEqual(error as? TokenizerError, .unknownTokenID(Int32(tok.vocabularySize), vocabularySize: tok.vocabularySize))
        }
        XCTAssertThrowsError(try tok.decode([-1]))
        XCTAssertEqual(tok.tokenBytes(-1), [])
        XCTAssertEqual(tok.pieceText(99_999), "")
    }

    /// Invalid UTF-8 reaches the tokenizer repaired (U+FFFD) by String; every odd input encodes.
    func testOddInputNeverCrashes() throws {
        let inputs = [String(decoding: [0xFF, 0xC3, 0x28, 0xE2, 0x82], as: UTF8.self), "\u{0}", "\u{10FFFF}",
                      String(repeating: " ", count: 10_000), String(repeating: "é", count: 5_000),
                      String(repeating: "<|im_start", count: 100), "\u{FFFD}\u{FFFD}"]
        // SentencePiece adds its dummy-prefix space.
        for (tok, prefix) in [(try TinyTokenizers.byteLevel(), [UInt8]()), (try TinyTokenizers.sentencePiece(), [0x20])] {
            for text in inputs {
                let ids = tok.encode(text)
                let decoded = try tok.decode(ids)
                XCTAssertEqual(decoded, prefix + Array(text.utf8))
            }
        }
    }
}

/// The tokenizer.json reader.
final class JSONReaderTests: XCTestCase {
    func testMalformedJSONIsAClearError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
        try Data("{\"model\": [1, 2".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try Tokenizer(tokenizerJSON: url, tokenizerConfig: nil)) { error in
            guard case .unreadableFile(_, let reason)? = error as? TokenizerError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("invalid JSON at byte"), reason)
        }
    }

    /// Keys that differ only by canonical equivalence stay distinct tokens.
    func testCanonicallyEquivalentKeysStayDistinct() throws {
        let json = #"{"model": {"type": "BPE", "byte_fallback": true, "merges": [],"#
            + #" "vocab": {"\u1f77": 0, "\u03af": 1, "\u2581": 2, "e\u0301": 3, "\u00e9": 4}},"#
            + #" "normalizer": {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}}"#
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("eq-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let tok = try Tokenizer(tokenizerJSON: url, tokenizerConfig: nil)
        XCTAssertEqual(tok.vocabularySize, 5)
        XCTAssertEqual(tok.encode("\u{1F77}\u{03AF}\u{00E9}"), [0, 1, 4])
        XCTAssertEqual(tok.tokenBytes(0), Array("\u{1F77}".utf8))
        XCTAssertEqual(tok.tokenBytes(1), Array("\u{03AF}".utf8))
    }
}
