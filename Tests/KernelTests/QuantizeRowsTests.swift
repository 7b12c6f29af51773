// sc_quantize_rows (quantise on load) against llama.cpp's reference quantisers on the same rows:
// byte for byte, from F32, F16 and BF16 input, on one and two threads.
// Fixtures: scripts/fixtures/make_quantize_fixtures.py (llama.cpp's quantize_row_*_ref via
// llama-cpp-python's libggml-base; gguf-py's port cross-checks Q8_0 and Q4_0).
import CKernels
import Foundation
import XCTest

final class QuantizeRowsTests: XCTestCase {
    static let rows = 16, cols = 512

    func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/quantize/\(name)", withExtension: nil))))
    }

    func testQuantisedRowsEqualLlamaCppsReferenceQuantisers() throws {
        let sources: [(String, Int32)] = [("f32", Int32(SC_TYPE_F32)), ("f16", Int32(SC_TYPE_F16)), ("bf16", Int32(SC_TYPE_BF16))]
        let types: [(String, Int32)] = [("q8_0", Int32(SC_TYPE_Q8_0)), ("q4_0", Int32(SC_TYPE_Q4_0)), ("q4_k", Int32(SC_TYPE_Q4_K))]
        for threads in [1, 2] {
            let pool = sc_pool_create(Int32(threads))
            defer { sc_pool_destroy(pool) }
            for (sourceName, sourceType) in sources {
                let input = try fixture("input.\(sourceName)")
                for (typeName, type) in types {
                    let expected = try fixture("\(sourceName).\(typeName)")
                    XCTAssertEqual(sc_row_bytes(type, Int64(Self.cols)) * Self.rows, expected.count)
                    var output = [UInt8](repeating: 0xAA, count: expected.count)
                    let status = output.withUnsafeMutableBytes { out in
                        input.withUnsafeBytes { sc_quantize_rows(pool, type, out.baseAddress, sourceType, $0.baseAddress, Int64(Self.rows), Int64(Self.cols)) }
                    }
                    XCTAssertEqual(status, 0)
                    let differing = zip(output, expected).filter { $0 != $1 }.count
                    XCTAssertEqual(differing, 0, "\(sourceName) → \(typeName), \(threads) threads: \(differing) bytes differ from llama.cpp")
                }
            }
        }
    }

    func testUnsupportedTypesAndShapesAreRefused() {
        var out = [UInt8](repeating: 0, count: 1024), input = [Float](repeating: 1, count: 512)
        for (type, source, cols) in [(Int32(SC_TYPE_Q4_K), Int32(SC_TYPE_F32), Int64(128)), (Int32(SC_TYPE_Q8_0), Int32(SC_TYPE_F32), Int64(33)),
                                     (Int32(SC_TYPE_Q6_K), Int32(SC_TYPE_F32), Int64(256)), (Int32(SC_TYPE_Q8_0), Int32(SC_TYPE_Q8_0), Int64(32))] {
            let status = out.withUnsafeMutableBytes { o in input.withUnsafeBytes { sc_quantize_rows(nil, type, o.baseAddress, source, $0.baseAddress, 1, cols) } }
            XCTAssertEqual(status, -1, "type \(type) from \(source), \(cols) columns")
        }
    }
}
