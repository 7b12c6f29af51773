import CKernels
import Foundation
import SkipChatEngine
import XCTest

/// Quantise on load (`--quantize`): every matrix of a checkpoint is in the quantised copy and
/// within the type's rounding bound of the stored values; the copy is made once and reused;
/// a GGUF file is refused in one line. (Byte-exactness against llama.cpp's quantisers:
/// KernelTests/QuantizeRowsTests.)
final class CheckpointQuantizerTests: XCTestCase {
    private var scratch: URL!
    private var savedCache: String?

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skipchat-quantize-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        savedCache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"]
        setenv("XDG_CACHE_HOME", scratch.path, 1)
    }

    override func tearDownWithError() throws {
        if let savedCache { setenv("XDG_CACHE_HOME", savedCache, 1) } else { unsetenv("XDG_CACHE_HOME") }
        try? FileManager.default.removeItem(at: scratch)
    }

    private func rows(_ tensor: WeightTensor) -> [[Float]] {
        let rowBytes = sc_row_bytes(Int32(tensor.type.rawValue), Int64(tensor.cols))
        return (0..<tensor.rows).map { r in
            var out = [Float](repeating: 0, count: tensor.cols)
            sc_dequantize_row(Int32(tensor.type.rawValue), tensor.data + r * rowBytes, &out, Int64(tensor.cols))
            return out
        }
    }

    func testQ8_0CopyHoldsEveryMatrixWithinHalfAStepAndIsReused() throws {
        let directory = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tiny-llama-hf", withExtension: nil))
        let original = try ModelFile.open(path: directory.path)
        var reports = 0
        let quantised = try ModelFile.open(path: directory.path, quantize: .q8_0, threads: 2) { done, total in
            reports += 1
            XCTAssertLessThanOrEqual(done, total)
        }
        XCTAssertGreaterThan(reports, 0)
        let copy = CheckpointQuantizer.cachedCopy(of: directory, type: .q8_0)
        XCTAssertTrue(copy.path.hasPrefix(scratch.path + "/skipchat/quantized/"), copy.path)
        let made = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: copy.path)[.modificationDate] as? Date)

        for (layer, pair) in zip(original.weights.layers, quantised.weights.layers).enumerated() {
            for (stored, q) in zip(pair.0.matrices, pair.1.matrices) {
                XCTAssertEqual(q.type, .q8_0, "layer \(layer) \(q.name)")
                for (x, y) in zip(rows(stored), rows(q)) {
                    for block in stride(from: 0, to: x.count, by: 32) {
                        let amax = x[block..<block + 32].map(abs).max()!
                        // Q8_0: d = amax/127 stored as F16 (relative error ≤ 2^-11), |x − d·round(x/d)| ≤ d/2,
                        // plus the F16 error of d times |q| ≤ 127 (llama.cpp quantize_row_q8_0_ref).
                        let d = amax / 127
                        let bound = d / 2 + amax * 0x1p-11 * 1.01 + 1e-7
                        for i in block..<block + 32 { XCTAssertLessThanOrEqual(abs(x[i] - y[i]), bound, "layer \(layer) \(q.name)") }
                    }
                }
            }
        }
        XCTAssertEqual(quantised.weights.layers[0].attentionNorm.type, original.weights.layers[0].attentionNorm.type, "norms stay as stored")

        var again = 0
        _ = try ModelFile.open(path: directory.path, quantize: .q8_0, threads: 1) { _, _ in again += 1 }
        XCTAssertEqual(again, 0, "the cached copy is reused")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: copy.path)[.modificationDate] as? Date, made)
    }

    func testAGGUFFileIsRefusedInOneLine() throws {
        let gguf = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/tiny-llama", withExtension: "gguf"))
        XCTAssertThrowsError(try ModelFile.open(path: gguf.path, quantize: .q4_k, threads: 1)) { error in
            XCTAssertTrue("\(error)".contains("--quantize quantises Hugging Face checkpoints"), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"))
        }
    }
}
