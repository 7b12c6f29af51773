import Foundation
import XCTest
@testable import SkipChatEngine

/// The draft block in the draft sidecar: round trip, and blocks that are wrong for the
/// model or disagree with their metadata are refused with a one-line warning, never used.
final class DraftBlockSidecarTests: XCTestCase {
    typealias B = DraftBlockTestSupport

    private func fixture() throws -> (ModelFile, URL) {
        let copy = try CalibrationTestSupport.fixtureCopy(for: self)
        return (try ModelFile.open(path: copy.path), copy)
    }

    func testRoundTrip() throws {
        let (file, _) = try fixture()
        let block = B.randomBlock(file.config, exit: 2)
        let path = DraftSidecar.besideModel(file)
        try B.sidecar(file, block: block, draftVocabulary: [2, 5, 9]).write(to: path)
        let read = try XCTUnwrap(try DraftSidecarFile.read(path: path).draftBlock)
        XCTAssertEqual(read.exitLayer, 2)
        XCTAssertEqual(read.shape, block.shape)
        XCTAssertEqual(read.agreement, 0.5)
        for name in DraftBlock.matrixNames { XCTAssertEqual(read.matrices[name], block.matrices[name], name) }
        for name in DraftBlock.normNames { XCTAssertEqual(read.norms[name], block.norms[name], name) }
        let loaded = DraftSidecar.load(for: file)
        XCTAssertNil(loaded.warning)
        XCTAssertEqual(loaded.draftBlock?.exitLayer, 2)
        XCTAssertEqual(loaded.draftHead?.ids, [2, 5, 9])
    }

    /// Each bad block: `read` throws a one-line error naming the file, and loading the model
    /// warns and uses neither block nor anything else from that sidecar.
    func testBadBlocksAreRefused() throws {
        let (file, copy) = try fixture()
        let path = DraftSidecar.besideModel(file)
        let good = B.randomBlock(file.config, exit: 2)
        var exitTooDeep = good
        exitTooDeep.exitLayer = 4
        var notFinite = good
        notFinite.matrices["ffn_up"]![3] = .nan
        let cases: [(DraftBlockWeights, String)] = [
            (exitTooDeep, "draft block exit layer '4' is not in 1…3"),
            (notFinite, "draft block tensor 'ffn_up' holds values that are not finite"),
        ]
        for (block, text) in cases {
            try B.sidecar(file, block: block).write(to: path)
            assertRefused(path: path, copy: copy, text: text)
        }
        // Metadata that disagrees with the tensors: KV heads that do not divide the query heads,
        // and a wider MLP than the tensors hold.
        let baseMetadata = ["format": "skipchat.exit-adapters", "version": "1", "model_name": file.name,
                            "model_file_size": "\(file.fileSize)", "hidden_size": "64", "layer_count": "4", "vocab_size": "288",
                            "layers": "", "tokens": "0", "draft_vocab": "0"]
        let encoded = good.encoded()
        let edits: [(String, String, String)] = [
            ("draft_block_kv_heads", "3", "4 query heads are not a multiple of 3 KV heads"),
            ("draft_block_ffn", "80", "tensor 'draft_block.ffn_gate.weight' has shape [\(good.shape.ffnSize), 64], expected [80, 64]"),
        ]
        for (key, value, text) in edits {
            try SafetensorsWriter.encode(encoded.tensors, metadata: baseMetadata.merging(encoded.metadata) { _, b in b }
                .merging([key: value]) { _, b in b }).write(to: URL(fileURLWithPath: path))
            assertRefused(path: path, copy: copy, text: text)
        }
        // Another model's head size: read succeeds, the model refuses it.
        let wide = DraftBlock.Shape(hidden: 64, headCount: 2, kvHeadCount: 1, headDim: 32, ffnSize: 8)
        let otherHeads = DraftBlockWeights(exitLayer: 2, shape: wide, matrices: Dictionary(uniqueKeysWithValues:
            DraftBlock.matrixNames.map { name in (name, [Float](repeating: 0.01, count: wide.matrixShape(name).reduce(1, *))) }),
                                           norms: good.norms)
        try B.sidecar(file, block: otherHeads).write(to: path)
        XCTAssertNotNil(try DraftSidecarFile.read(path: path).draftBlock)
        let model = try LanguageModel(file: try ModelFile.open(path: copy.path), threads: 1)
        XCTAssertNil(model.draftBlock)
        XCTAssertTrue(model.adapterWarning?.contains("its draft block has heads of 32 values, the model's have 16") == true,
                      model.adapterWarning ?? "no warning")
    }

    private func assertRefused(path: String, copy: URL, text: String, line: UInt = #line) {
        XCTAssertThrowsError(try DraftSidecarFile.read(path: path), line: line) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": ") && "\(error)".contains(text), "\(error)", line: line)
            XCTAssertFalse("\(error)".contains("\n"), line: line)
        }
        guard let model = try? LanguageModel(file: try ModelFile.open(path: copy.path), threads: 1) else {
            return XCTFail("the model did not load", line: line)
        }
        XCTAssertNil(model.draftBlock, line: line)
        XCTAssertTrue(model.adapterWarning?.hasPrefix("exit adapters not used: ") == true && model.adapterWarning?.contains(text) == true,
                      model.adapterWarning ?? "no warning", line: line)
    }
}
