import Foundation
import XCTest
@testable import SkipChatEngine

/// The auto draft head's rule (coverage → rows → ids), its `--draft-head` values, and the rows the
/// rule gives Llama 3's tokenizer (`DraftHeadSelection.llama3Rows`).
final class DraftHeadSelectionTests: XCTestCase {
    typealias S = DecoderTestSupport

    static let documents = [
        "the cat sat on the mat and the dog sat on the log",
        "def add(a, b):\n    return a + b\n\nprint(add(2, 3))",
        "Why is the sky blue? Sunlight scatters off the air, and blue light scatters the most.",
        "hi! how are you? good, thanks, and you?",
    ]

    /// Counts, ranking, the coverage rule and the chosen ids against a scalar re-computation.
    func testRuleMatchesAnIndependentCount() throws {
        let model = try S.fixtureModel("tiny-llama.gguf")
        let tokenizer = model.tokenizer
        let vocab = model.weights.lmHead.rows
        var tally: [Int32: Int] = [:]
        for document in Self.documents {
            for id in tokenizer.encode(document, parseSpecial: false) { tally[id, default: 0] += 1 }
        }
        let ranked = tally.keys.sorted { tally[$0]! != tally[$1]! ? tally[$0]! > tally[$1]! : $0 < $1 }
        let counts = TokenCounts(documents: Self.documents, tokenizer: tokenizer, vocabularySize: vocab)
        XCTAssertEqual(counts.ids, ranked)
        XCTAssertEqual(counts.counts, ranked.map { tally[$0]! })
        let total = tally.values.reduce(0, +)
        XCTAssertEqual(counts.total, total)

        for (target, multiple, range) in [(0.5, 4, 1...1_000), (0.95, 8, 1...1_000), (0.95, 8, 40...48), (1.0, 1, 1...1_000)] {
            // Smallest n with cumulative count ≥ target · total, rounded up, clamped.
            var n = 0
            while Double(ranked.prefix(n).reduce(0) { $0 + tally[$1]! }) < target * Double(total) { n += 1 }
            let expected = min(vocab, min(range.upperBound, max(range.lowerBound, Int((Double(n) / Double(multiple)).rounded(.up)) * multiple)))
            XCTAssertEqual(DraftHeadSelection.automaticRows(counts, vocabularySize: vocab, coverage: target, multiple: multiple, range: range),
                           expected, "coverage \(target), multiple \(multiple), range \(range)")
        }

        let rows = 12
        let ids = DraftHeadSelection.ids(counts, rows: rows, required: tokenizer.endOfTurnIDs, vocabularySize: vocab)
        let endOfTurn = tokenizer.endOfTurnIDs.filter { Int($0) < vocab }
        XCTAssertFalse(endOfTurn.isEmpty)
        let expectedIDs = Set(endOfTurn).union(ranked.filter { !endOfTurn.contains($0) }.prefix(rows - endOfTurn.count))
        XCTAssertEqual(ids, expectedIDs.sorted())
        let covered = ids.reduce(0) { $0 + (tally[$1] ?? 0) }
        XCTAssertEqual(DraftHeadSelection.coverage(of: ids, counts), Double(covered) / Double(total), accuracy: 1e-12)

        // More rows than the corpus has ids: unseen ids from 0 up fill the rest.
        let wide = DraftHeadSelection.ids(counts, rows: tally.count + endOfTurn.count + 3, required: endOfTurn, vocabularySize: vocab)
        let unseen = (0..<Int32(vocab)).filter { tally[$0] == nil && !endOfTurn.contains($0) }.prefix(3)
        XCTAssertEqual(wide, Set(tally.keys).union(endOfTurn).union(unseen).sorted())
    }

    func testRequestValues() {
        XCTAssertEqual(DraftHeadRequest("auto"), .auto)
        XCTAssertEqual(DraftHeadRequest("full"), .full)
        XCTAssertEqual(DraftHeadRequest("4096"), .rows(4096))
        for bad in ["0", "-3", "lots", "", "4k", "Auto"] { XCTAssertNil(DraftHeadRequest(bad), bad) }
    }

    /// `.rows(N)` loads N rows (end-of-turn ids included); N = vocabulary and `full` give the full
    /// head; N beyond the vocabulary is an error naming both numbers.
    func testModelLoadsTheRequestedHead() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tiny-llama.gguf", withExtension: nil))
        let file = try ModelFile.open(path: url.path)
        let vocab = file.weights.lmHead.rows
        let some = try LanguageModel(file: file, threads: 1, draftHead: .rows(40))
        XCTAssertEqual(some.draftHead?.ids.count, 40)
        XCTAssertEqual(some.draftHeadInfo.source, .corpus)
        XCTAssertTrue(some.tokenizer.endOfTurnIDs.isSubset(of: Set(some.draftHead?.ids ?? [])))
        XCTAssertNil(try LanguageModel(file: file, threads: 1, draftHead: .rows(vocab)).draftHead)
        XCTAssertEqual(try LanguageModel(file: file, threads: 1, draftHead: .full).draftHeadInfo.source, .full)
        XCTAssertThrowsError(try LanguageModel(file: file, threads: 1, draftHead: .rows(vocab + 1))) { error in
            XCTAssertEqual(error as? DraftHeadError, DraftHeadError(rows: vocab + 1, vocabularySize: vocab))
        }
    }

    /// The default model: the auto rule picks a corpus head without the sidecar, the sidecar's head
    /// with it.
    func testDefaultModelAutoHead() throws {
        guard FileManager.default.fileExists(atPath: LanguageModel.defaultModelPath) else { throw XCTSkip("default model not installed") }
        let plain = try LanguageModel.load(path: nil, threads: 1, adapters: false)
        let info = plain.draftHeadInfo
        XCTAssertEqual(info.source, .corpus)
        XCTAssertGreaterThan(info.headShare, DraftHeadSelection.headShareThreshold)
        XCTAssertEqual(info.rows % DraftHeadSelection.rowMultiple, 0)
        XCTAssertTrue(DraftHeadSelection.rowRange.contains(info.rows))
        XCTAssertGreaterThanOrEqual(info.coverage ?? 0, DraftHeadSelection.coverageTarget)
        XCTAssertEqual(plain.draftHead?.ids.count, info.rows)
        XCTAssertTrue(plain.tokenizer.endOfTurnIDs.isSubset(of: Set(plain.draftHead?.ids ?? [])))
        let withSidecar = try LanguageModel.load(path: nil, threads: 1)
        if withSidecar.adapterSummary?.contains("draft head") == true {
            XCTAssertEqual(withSidecar.draftHeadInfo.source, .sidecar)
        }
    }

    /// `llama3Rows` is what the auto rule gives the Llama 3 tokenizer over the corpus.
    func testLlama3RowsMatchTheRule() throws {
        let path = LanguageModel.cacheDirectory.appendingPathComponent("vocab/ggml-vocab-llama-bpe.gguf").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("\(path) not present (scripts/fetch-test-vocabs.sh)") }
        let vocabulary = try XCTUnwrap(try GGUFFile(file: MappedFile(path: path), metadataOnly: true).vocabulary())
        let tokenizer = try Tokenizer(gguf: vocabulary)
        XCTAssertEqual(tokenizer.vocabularySize, 128_256)
        let counts = TokenCounts(documents: DraftHeadCorpus.documents, tokenizer: tokenizer, vocabularySize: tokenizer.vocabularySize)
        XCTAssertEqual(DraftHeadSelection.automaticRows(counts, vocabularySize: tokenizer.vocabularySize), DraftHeadSelection.llama3Rows)
    }
}
