import Foundation
import XCTest
@testable import SkipChatEngine

/// The per-model cache of corpus token counts: a hit reads the file, a corrupt file is rebuilt,
/// and the key follows the model.
final class DraftHeadCacheTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-draft-heads-\(UUID())")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func fixture(_ name: String) throws -> (ModelFile, Tokenizer) {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        let file = try ModelFile.open(path: url.path)
        return (file, try LanguageModel.tokenizer(for: file))
    }

    func testHitCorruptFileAndRebuild() throws {
        let (file, tokenizer) = try fixture("tiny-llama.gguf")
        let key = DraftHeadCache.Key(file: file, tokenizer: tokenizer, vocabularySize: file.weights.lmHead.rows)
        let counts = TokenCounts(ids: [7, 3, 250], counts: [9, 4, 1])
        var made = 0
        func lookUp() -> (TokenCounts, hit: Bool) {
            DraftHeadCache.counts(for: key, in: directory) {
                made += 1
                return counts
            }
        }
        let first = lookUp()
        XCTAssertFalse(first.hit)
        XCTAssertEqual(first.0, counts)
        let second = lookUp()
        XCTAssertTrue(second.hit)
        XCTAssertEqual(second.0, counts)
        XCTAssertEqual(made, 1)

        let path = directory.appendingPathComponent(key.fileName)
        let good = try Data(contentsOf: path)
        var flipped = good
        flipped[flipped.count / 2] ^= 0x20
        let corruptions: [(String, Data)] = [("a flipped byte", flipped), ("a truncated file", good.prefix(good.count - 3)),
                                             ("an empty file", Data()), ("text", Data("not a cache".utf8))]
        for (what, data) in corruptions {
            try data.write(to: path)
            let rebuilt = lookUp()
            XCTAssertFalse(rebuilt.hit, what)
            XCTAssertEqual(rebuilt.0, counts, what)
            XCTAssertEqual(try Data(contentsOf: path), good, "\(what): the file is rewritten")
        }
        XCTAssertEqual(made, 1 + corruptions.count)
        // Nothing but the cache file is left in the directory (the temporary file was renamed).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), [key.fileName])
    }

    /// A file written for another key (same name forced) is not trusted.
    func testFileOfAnotherKeyIsNotRead() throws {
        let (file, tokenizer) = try fixture("tiny-llama.gguf")
        let key = DraftHeadCache.Key(file: file, tokenizer: tokenizer, vocabularySize: file.weights.lmHead.rows)
        var other = key
        other.text += " changed"
        XCTAssertNil(DraftHeadCache.decode(DraftHeadCache.encode(TokenCounts(ids: [1], counts: [1]), key: other), key: key))
        XCTAssertEqual(DraftHeadCache.decode(DraftHeadCache.encode(TokenCounts(ids: [1], counts: [1]), key: key), key: key),
                       TokenCounts(ids: [1], counts: [1]))
    }

    /// The key changes with the model file (size, modification time), its tokenizer and its head's rows.
    func testKeyChangesWithTheModel() throws {
        let (file, tokenizer) = try fixture("tiny-llama.gguf")
        let (otherFile, otherTokenizer) = try fixture("tiny-llama-hf")
        let rows = file.weights.lmHead.rows
        let base = DraftHeadCache.Key(modelName: "m", fileSize: 100, modified: 5, tokenizer: tokenizer, vocabularySize: rows)
        let variants = [
            DraftHeadCache.Key(modelName: "m", fileSize: 101, modified: 5, tokenizer: tokenizer, vocabularySize: rows),
            DraftHeadCache.Key(modelName: "m", fileSize: 100, modified: 6, tokenizer: tokenizer, vocabularySize: rows),
            DraftHeadCache.Key(modelName: "m", fileSize: 100, modified: 5, tokenizer: tokenizer, vocabularySize: rows - 1),
        ]
        for variant in variants {
            XCTAssertNotEqual(variant.text, base.text)
            XCTAssertNotEqual(variant.fileName, base.fileName)
        }
        XCTAssertEqual(DraftHeadCache.Key(modelName: "m", fileSize: 100, modified: 5, tokenizer: tokenizer, vocabularySize: rows).text,
                       base.text)
        // Another tokenizer: the LayerSkip model committed in models/tiny-layerskip.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let layerSkip = try LanguageModel.tokenizer(for: try ModelFile.open(path: root.appendingPathComponent("models/tiny-layerskip").path))
        XCTAssertTrue(layerSkip.vocabularySize != tokenizer.vocabularySize
            || (0..<Int32(tokenizer.vocabularySize)).contains { layerSkip.tokenBytes($0) != tokenizer.tokenBytes($0) })
        XCTAssertNotEqual(DraftHeadCache.Key(modelName: "m", fileSize: 100, modified: 5, tokenizer: layerSkip, vocabularySize: rows).text,
                          base.text)
        XCTAssertNotEqual(DraftHeadCache.Key(file: file, tokenizer: tokenizer, vocabularySize: rows).fileName,
                          DraftHeadCache.Key(file: otherFile, tokenizer: otherTokenizer, vocabularySize: otherFile.weights.lmHead.rows).fileName)
    }
}
