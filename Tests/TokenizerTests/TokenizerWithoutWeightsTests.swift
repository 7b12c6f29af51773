import Foundation
import SkipChatEngine
import SkipChatTokenizer
import XCTest

/// `skipchat tokenize --model` without weights (`TokenizerSource(modelPath:)`): a vocab-only GGUF
/// (scripts/fixtures/make_vocab_only_gguf.py) and a directory holding only tokenizer files encode
/// as the reference tokenizers do; a path without a tokenizer gives one line naming what is missing.
final class TokenizerWithoutWeightsTests: XCTestCase {
    func testVocabOnlyGGUF() throws {
        let path = TestFiles.fixtures.appendingPathComponent("tiny-spm.vocab.gguf").path
        try assertEncodes(try TokenizerSource(modelPath: path).tokenizer(file: path), as: "tiny-spm")
    }

    func testDirectoryWithOnlyTokenizerFiles() throws {
        let directory = try temporaryDirectory()
        for (fixture, name) in [("tiny-bytelevel.tokenizer.json", "tokenizer.json"),
                                ("tiny-bytelevel.tokenizer_config.json", "tokenizer_config.json")] {
            try FileManager.default.copyItem(at: TestFiles.fixtures.appendingPathComponent(fixture),
                                             to: directory.appendingPathComponent(name))
        }
        for path in [directory.path, directory.appendingPathComponent("tokenizer.json").path] {
            let tokenizer = try TokenizerSource(modelPath: path).tokenizer(file: path)
            XCTAssertEqual(tokenizer.eosID, 2, "tokenizer_config.json should be read")
            try assertEncodes(tokenizer, as: "tiny-bytelevel")
        }
    }

    func testDirectoryWithoutTokenizerJSON() throws {
        let directory = try temporaryDirectory()
        try Data("{}".utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let json = directory.appendingPathComponent("tokenizer.json").path
        XCTAssertThrowsError(try TokenizerSource(modelPath: directory.path)) { error in
            XCTAssertEqual("\(error)", "\(json): missing: the checkpoint has no tokenizer")
        }
        // A SentencePiece tokenizer.model alone is named as what skipchat does not read.
        try Data().write(to: directory.appendingPathComponent("tokenizer.model"))
        XCTAssertThrowsError(try TokenizerSource(modelPath: directory.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(json): missing: the checkpoint has only tokenizer.model (SentencePiece)"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }

    func testGGUFWithoutTokenizer() throws {
        let path = TestFiles.fixtures.appendingPathComponent("no-tokenizer.gguf").path
        XCTAssertThrowsError(try TokenizerSource(modelPath: path)) { error in
            XCTAssertEqual("\(error)", "\(path): no tokenizer in this GGUF file (no tokenizer.ggml.model metadata key)")
        }
    }

    func testMissingPath() {
        XCTAssertThrowsError(try TokenizerSource(modelPath: "/nonexistent/model.gguf")) { error in
            XCTAssertEqual("\(error)", "/nonexistent/model.gguf: no such file or directory")
        }
    }

    private func assertEncodes(_ tokenizer: Tokenizer, as fixture: String,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let cases = try TestFiles.fixture(fixture).cases
        XCTAssertGreaterThan(cases.count, 20, file: file, line: line)
        let wrong = cases.filter { tokenizer.encode($0.text) != $0.ids }
        XCTAssertEqual(wrong.count, 0, "first mismatch: \(wrong.first.map(\.text) ?? "")", file: file, line: line)
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tok-dir-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
