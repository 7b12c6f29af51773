import Foundation
import XCTest
@testable import SkipChatEngine

/// Sidecar write/read round trip, automatic loading, and what happens with a sidecar made for
/// another model or a corrupt one (a warning; never used).
final class CalibrationSidecarTests: XCTestCase {
    typealias C = CalibrationTestSupport

    private func sample(hidden d: Int = 64, layers: Int = 4, vocab: Int = 288, name: String = "tiny-llama",
                        size: Int) -> DraftSidecarFile {
        var rng = SeededGenerator(seed: 5)
        let map = (weight: (0..<(d * d)).map { _ in BFloat16.float(BFloat16.bits(rng.nextUnit() - 0.5)) },
                   bias: (0..<d).map { _ in rng.nextUnit() })
        let settings = DraftSidecarFile.Settings(modelName: name, modelFileSize: size, hiddenSize: d, layerCount: layers,
                                                vocabSize: vocab, tokens: 123, corpus: "corpus.jsonl", lambdas: [1: 0.5, 3: 2])
        return DraftSidecarFile(settings: settings, maps: [1: map, 3: map], draftVocabulary: [2, 7, 40, 287])
    }

    private func fixtureFile() throws -> (ModelFile, URL) {
        let copy = try C.fixtureCopy(for: self)
        return (try ModelFile.open(path: copy.path), copy)
    }

    func testRoundTrip() throws {
        let (file, copy) = try fixtureFile()
        let written = sample(name: file.name, size: file.fileSize)
        let path = copy.path + ".exit-adapters.safetensors"
        try written.write(to: path)
        let read = try DraftSidecarFile.read(path: path)
        XCTAssertEqual(read.settings, written.settings)
        XCTAssertEqual(read.layers, [1, 3])
        XCTAssertEqual(read.maps[1]?.weight, written.maps[1]?.weight)
        XCTAssertEqual(read.maps[3]?.bias, written.maps[3]?.bias)
        XCTAssertEqual(read.draftVocabulary, [2, 7, 40, 287])
        XCTAssertNil(read.mismatch(with: file))
    }

    /// A fitted sidecar beside the model is loaded automatically; `adapters: false` skips it.
    func testLoadsBesideModelAndCanBeTurnedOff() throws {
        let (file, copy) = try fixtureFile()
        try sample(name: file.name, size: file.fileSize).write(to: DraftSidecar.besideModel(file))
        let model = try LanguageModel(file: try ModelFile.open(path: copy.path), threads: 1)
        XCTAssertEqual(model.exitAdapters?.adapters.keys.sorted(), [1, 3])
        XCTAssertEqual(model.draftHead?.ids, [2, 7, 40, 287])
        XCTAssertNil(model.adapterWarning)
        XCTAssertTrue(model.adapterSummary?.hasPrefix("exit adapters L1,3 + 4-token draft head") == true, model.adapterSummary ?? "nil")
        let session = GenerationSession(model: model)
        XCTAssertNotNil(session.forward.exitAdapters)
        XCTAssertNotNil(session.forward.draftHead)
        let off = try LanguageModel(file: try ModelFile.open(path: copy.path), threads: 1, adapters: false)
        XCTAssertNil(off.exitAdapters)
        XCTAssertNil(off.draftHead)
        XCTAssertNil(off.adapterSummary)
    }

    /// Made for another model (name, file size or shapes): ignored with a warning.
    func testMismatchedSidecarIsIgnoredWithWarning() throws {
        let (file, copy) = try fixtureFile()
        let cases: [(DraftSidecarFile, String)] = [
            (sample(name: "another model", size: file.fileSize), "made for model 'another model'"),
            (sample(name: file.name, size: file.fileSize + 1), "-byte model file"),
            (sample(hidden: 32, name: file.name, size: file.fileSize), "made for hidden 32"),
            (sample(layers: 6, name: file.name, size: file.fileSize), "6 layers"),
        ]
        for (sidecar, text) in cases {
            try sidecar.write(to: DraftSidecar.besideModel(file))
            let model = try LanguageModel(file: try ModelFile.open(path: copy.path), threads: 1)
            XCTAssertNil(model.exitAdapters, text)
            XCTAssertNil(model.draftHead, text)
            let warning = try XCTUnwrap(model.adapterWarning, text)
            XCTAssertTrue(warning.hasPrefix("exit adapters not used: ") && warning.contains(text), warning)
            XCTAssertFalse(warning.contains("\n"))
        }
    }

    /// Corrupt or foreign files: a one-line error naming the file, and a warning at load time.
    func testCorruptSidecars() throws {
        let (file, copy) = try fixtureFile()
        let path = DraftSidecar.besideModel(file)
        let good = try { () throws -> Data in
            try sample(name: file.name, size: file.fileSize).write(to: path)
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }()
        let metadata = ["format": "skipchat.exit-adapters", "version": "1", "model_name": file.name,
                        "model_file_size": "\(file.fileSize)", "hidden_size": "64", "layer_count": "4", "vocab_size": "288",
                        "layers": "1", "tokens": "1", "draft_vocab": "0"]
        let wrongShape = try SafetensorsWriter.encode([.bf16("exit_adapter.1.weight", shape: [64, 64], [Float](repeating: 0, count: 4096)),
                                                       .f32("exit_adapter.1.bias", shape: [1], [0])], metadata: metadata)
        let foreign = try SafetensorsWriter.encode([.f32("x", shape: [1], [1])], metadata: [:])
        let cases: [(Data, String)] = [
            (Data("garbage".utf8), "too short"),
            (good.prefix(good.count / 2), "past the end of the file"),
            (foreign, "not a skipchat exit-adapter file"),
            (wrongShape, "tensor 'exit_adapter.1.bias' has shape [1], expected [64]"),
        ]
        for (bytes, text) in cases {
            try bytes.write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try DraftSidecarFile.read(path: path)) { error in
                XCTAssertTrue("\(error)".hasPrefix(path + ": ") && "\(error)".contains(text), "\(error)")
            }
            let model = try LanguageModel(file: try ModelFile.open(path: copy.path), threads: 1)
            XCTAssertNil(model.exitAdapters)
            XCTAssertTrue(model.adapterWarning?.contains(text) == true, model.adapterWarning ?? "no warning")
        }
    }
}
