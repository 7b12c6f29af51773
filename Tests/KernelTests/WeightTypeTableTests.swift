// The kernels' weight-type table (Sources/CKernels/weight_types.h) against the GGML block
// layouts (ggml/src/ggml-common.h: QK4_0 … QK_K, sizeof(block_*)), and TensorType's sizes, which
// read the table, against the same; an unsupported type number has no sizes, no row size and
// gives NaN from sc_matmul.
import CKernels
import SkipChatEngine
import XCTest

final class WeightTypeTableTests: XCTestCase {
    /// (values per block, bytes per block) per type, from ggml-common.h's block structs.
    static let ggml: [TensorType: (values: Int, bytes: Int)] = [
        .f32: (1, 4), .f16: (1, 2), .bf16: (1, 2),
        .q4_0: (32, 2 + 16), .q4_1: (32, 2 + 2 + 16), .q5_0: (32, 2 + 4 + 16), .q5_1: (32, 2 + 2 + 4 + 16),
        .q8_0: (32, 2 + 32), .iq4_NL: (32, 2 + 16),
        .q2_K: (256, 16 + 64 + 2 + 2), .q3_K: (256, 32 + 64 + 12 + 2), .q4_K: (256, 2 + 2 + 12 + 128),
        .q5_K: (256, 2 + 2 + 12 + 32 + 128), .q6_K: (256, 128 + 64 + 16 + 2),
    ]

    func testTableAndSwiftSizesMatchGGMLForEveryType() throws {
        XCTAssertEqual(Set(Self.ggml.keys), Set(TensorType.allCases))
        for type in TensorType.allCases {
            let want = try XCTUnwrap(Self.ggml[type])
            let c = Int32(type.rawValue)
            XCTAssertEqual(Int(sc_type_block_values(c)), want.values, "\(type)")
            XCTAssertEqual(sc_type_block_bytes(c), want.bytes, "\(type)")
            XCTAssertEqual(type.blockSize, want.values, "\(type)")
            XCTAssertEqual(type.blockBytes, want.bytes, "\(type)")
            XCTAssertEqual(sc_type_name(c).map { String(cString: $0) }, type.description)
            XCTAssertEqual(sc_row_bytes(c, Int64(3 * want.values)), 3 * want.bytes, "\(type)")
        }
    }

    func testUnknownTypeHasNoSizesAndGivesNaN() {
        // 4, 5: removed Q4_2/Q4_3; 9: Q8_1; 15: Q8_K; 16: IQ2_XXS; 29: the last number below BF16.
        for raw: Int32 in [-1, 4, 5, 9, 15, 16, 29, 31, 1000] {
            XCTAssertNil(TensorType(rawValue: UInt32(bitPattern: raw)))
            XCTAssertEqual(sc_type_block_values(raw), 0, "type \(raw)")
            XCTAssertEqual(sc_type_block_bytes(raw), 0, "type \(raw)")
            XCTAssertNil(sc_type_name(raw), "type \(raw)")
            XCTAssertEqual(sc_row_bytes(raw, 256), 0, "type \(raw)")
        }
        // Q8_1 (9), whose blocks resemble Q8_0 blocks: refused, never read as Q8_0.
        let w = [UInt8](repeating: 0x3c, count: 4 * 36)
        let x = [Float](repeating: 1, count: 32)
        var y = [Float](repeating: 0, count: 4)
        w.withUnsafeBytes { wp in
            y.withUnsafeMutableBufferPointer { yp in
                let job = sc_matmul_job(type: 9, w: wp.baseAddress, rows: 4, cols: 32, y: yp.baseAddress, y_stride: 4)
                withUnsafePointer(to: job) { sc_matmul(nil, $0, 1, x, 32, 1) }
            }
        }
        XCTAssertTrue(y.allSatisfy(\.isNaN), "\(y)")
    }
}
