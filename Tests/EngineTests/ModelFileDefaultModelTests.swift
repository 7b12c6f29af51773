import Foundation
import XCTest
@testable import SkipChatEngine

/// The default model (SmolLM2-135M-Instruct Q4_1, `LanguageModel.defaultModelFileName`), when it has been fetched.
final class ModelFileDefaultModelTests: XCTestCase {
    func testDefaultModelLoads() throws {
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let path = cache.appendingPathComponent("skipchat/models/SmolLM2-135M-Instruct.Q4_1.gguf").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("default model not fetched: \(path)") }
        let model = try ModelFile.open(path: path)
        let c = model.config
        XCTAssertEqual(c.layerCount, 30)
        XCTAssertEqual(c.hiddenSize, 576)
        XCTAssertEqual(c.ffnSize, 1536)
        XCTAssertEqual([c.headCount, c.kvHeadCount, c.headDim], [9, 3, 64])
        XCTAssertEqual(c.vocabSize, 49_152)
        XCTAssertEqual(c.contextLength, 8192)
        XCTAssertEqual(c.ropeTheta, 100_000)
        XCTAssertEqual(c.rmsNormEps, 1e-5)
        XCTAssertEqual(c.ropeStyle, .adjacentPairs)
        XCTAssertTrue(c.tiedEmbeddings)
        XCTAssertEqual(model.tensorTypeCounts.values.reduce(0, +), 272)
        XCTAssertEqual(model.tensorTypeCounts, [.q4_1: 210, .f32: 61, .q8_0: 1])
        XCTAssertEqual(model.fileSize, 98_362_432)
        guard case .gguf(let vocabulary) = model.tokenizerSource else { return XCTFail("no vocabulary") }
        XCTAssertEqual(vocabulary.model, "gpt2")
        XCTAssertEqual(vocabulary.pre, "smollm")
        XCTAssertEqual(vocabulary.tokens.count, 49_152)
        XCTAssertEqual(vocabulary.merges?.count, 48_900)
        XCTAssertEqual(vocabulary.bosID, 1)
        XCTAssertEqual(vocabulary.eosID, 2)
        XCTAssertEqual(vocabulary.tokens[1], "<|im_start|>")
        XCTAssertTrue(model.chatTemplate?.contains("<|im_start|>") ?? false)
        let summary = model.summaryLines.joined(separator: "\n")
        for expected in ["layers        30", "hidden        576", "FFN           1536", "9 query / 3 KV, head dim 64",
                         "vocab         49152", "context       8192", "adjacent pairs, theta 100000",
                         "tied to the token embedding", "272: Q4_1 ×210, F32 ×61, Q8_0 ×1", "98362432 bytes (93.8 MiB)"] {
            XCTAssertTrue(summary.contains(expected), "summary lacks \"\(expected)\":\n\(summary)")
        }
    }
}
