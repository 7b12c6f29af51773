// Q5_0, Q5_1, IQ4_NL and the K-quants (Q2_K … Q6_K): dequantisation equal to gguf-py's reference
// dequantisation bit for bit, sc_matmul against a double-precision reference on both code paths
// (odd row counts, rows of one or several super-blocks, 32-value types with a partial last group
// of 8 blocks), and the exactness contract across T, threads and fused jobs.
// Fixtures: scripts/fixtures/make_decoded_block_fixtures.py (random blocks + gguf-py values).
import CKernels
import Foundation
import SkipChatEngine
import XCTest

/// 2048 values' worth of stored blocks of one type and their reference values.
struct BlockFixture {
    let type: TensorType
    let bytes: [UInt8]
    let values: [Float]

    static let types: [Int32] = [SC_TYPE_Q5_0, SC_TYPE_Q5_1, SC_TYPE_IQ4_NL, SC_TYPE_Q2_K, SC_TYPE_Q3_K,
                                 SC_TYPE_Q4_K, SC_TYPE_Q5_K, SC_TYPE_Q6_K].map { Int32($0) }

    static func load(_ code: Int32) throws -> BlockFixture {
        let type = try XCTUnwrap(TensorType(rawValue: UInt32(code)))
        func data(_ ext: String) throws -> Data {
            try Data(contentsOf: try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(type)", withExtension: ext)))
        }
        let values = try data("values").withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
        }
        return BlockFixture(type: type, bytes: [UInt8](try data("blocks")), values: values)
    }

    var name: String { type.description }
    var blockValues: Int { type.blockSize }
    var blockBytes: Int { type.blockBytes }
    var blockCount: Int { values.count / blockValues }

    /// A rows × cols matrix whose row r is the fixture's blocks taken cyclically from block 5·r.
    func matrix(rows: Int, cols: Int) -> TestMatrix {
        var bytes: [UInt8] = [], values: [Float] = []
        for r in 0..<rows {
            for k in 0..<(cols / blockValues) {
                let b = (5 * r + k) % blockCount
                bytes += self.bytes[(b * blockBytes)..<((b + 1) * blockBytes)]
                values += self.values[(b * blockValues)..<((b + 1) * blockValues)]
            }
        }
        precondition(bytes.count == rows * sc_row_bytes(Int32(type.rawValue), Int64(cols)))
        return TestMatrix(type: Int32(type.rawValue), rows: rows, cols: cols, data: RawBuffer(bytes: bytes), values: values)
    }
}

final class DecodedTypeTests: KernelSwitchingTestCase {

    func testRowBytesFollowTheBlockLayouts() throws {
        let expected: [Int32: (values: Int, bytes: Int)] = [
            Int32(SC_TYPE_Q5_0): (32, 22), Int32(SC_TYPE_Q5_1): (32, 24), Int32(SC_TYPE_IQ4_NL): (32, 18),
            Int32(SC_TYPE_Q2_K): (256, 84), Int32(SC_TYPE_Q3_K): (256, 110), Int32(SC_TYPE_Q4_K): (256, 144),
            Int32(SC_TYPE_Q5_K): (256, 176), Int32(SC_TYPE_Q6_K): (256, 210),
        ]
        for (type, layout) in expected {
            XCTAssertEqual(sc_row_bytes(type, Int64(3 * layout.values)), 3 * layout.bytes, typeName(type))
            XCTAssertEqual(sc_row_bytes(type, Int64(3 * layout.values + 32)), layout.values == 32 ? 4 * layout.bytes : 0, typeName(type))
            XCTAssertEqual(sc_row_bytes(type, 100), 0, typeName(type))
            XCTAssertEqual(TensorType(rawValue: UInt32(type))?.byteCount(values: 3 * layout.values), 3 * layout.bytes)
        }
        // A K-quant row of 576 values (the default model's hidden size) is not a whole number of super-blocks.
        XCTAssertEqual(sc_row_bytes(Int32(SC_TYPE_Q4_K), 576), 0)
    }

    func testDequantizationEqualsGGUFPyBitForBit() throws {
        for type in BlockFixture.types {
            let f = try BlockFixture.load(type)
            var out = [Float](repeating: .nan, count: f.values.count)
            f.bytes.withUnsafeBytes { sc_dequantize_row(type, $0.baseAddress, &out, Int64(f.values.count)) }
            XCTAssertEqual(out.map(\.bitPattern), f.values.map(\.bitPattern), f.name)
        }
    }

    func testMatchesReferenceForEveryTypePathAndThreadCount() throws {
        var rng = SeededGenerator(seed: 11)
        for type in BlockFixture.types {
            let f = try BlockFixture.load(type)
            // K-quants: one and three super-blocks per row; 32-value types: 9 blocks (a group of 8
            // and a tail of 1) and 18 (the default model's 576).
            let colsList = f.blockValues == 256 ? [256, 768] : [288, 576]
            for cols in colsList {
                for rows in [67, 5] {
                    let m = f.matrix(rows: rows, cols: cols)
                    let T = 9
                    let x = rng.floats(T * cols, scale: 2)
                    for path in kernelConfigs {
                        path.apply()
                        let ref = m.reference(x: x, T: T, precision: path.precision)
                        for threads in [1, 3] {
                            let pool = sc_pool_create(Int32(threads))
                            defer { sc_pool_destroy(pool) }
                            for t in 1...T {
                                let y = runMatmul([m], x: Array(x[0..<(t * cols)]), T: t, pool: pool)[0]
                                for i in 0..<(t * rows) where !(abs(Double(y[i]) - ref.values[i]) <= ref.bounds[i]) {
                                    XCTFail("\(f.name) \(path.name) \(rows)×\(cols) threads \(threads) T \(t) [\(i)]: \(y[i]) vs \(ref.values[i]) ± \(ref.bounds[i])")
                                    return
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    func testResultIsBitIdenticalWhateverTThreadsOrFusion() throws {
        var rng = SeededGenerator(seed: 12)
        for type in BlockFixture.types {
            let f = try BlockFixture.load(type)
            let cols = 512
            let a = f.matrix(rows: 83, cols: cols)
            let b = TestMatrix.random(type: Int32(SC_TYPE_Q8_0), rows: 21, cols: cols, rng: &rng)
            let T = 17
            let x = rng.floats(T * cols, scale: 3)
            for path in kernelConfigs {
                path.apply()
                var single: [[Float]] = []
                for t in 0..<T { single.append(runMatmul([a], x: Array(x[(t * cols)..<((t + 1) * cols)]), T: 1, pool: nil)[0]) }
                for threads in [1, 3] {
                    let pool = sc_pool_create(Int32(threads))
                    defer { sc_pool_destroy(pool) }
                    for t in [2, 3, 4, 5, 6, 7, 8, 9, 17] {
                        let fused = runMatmul([b, a], x: Array(x[0..<(t * cols)]), T: t, pool: pool)[1]
                        let alone = runMatmul([a], x: Array(x[0..<(t * cols)]), T: t, pool: pool)[0]
                        for p in 0..<t {
                            let range = (p * a.rows)..<((p + 1) * a.rows)
                            XCTAssertEqual(Array(fused[range]).map(\.bitPattern), single[p].map(\.bitPattern),
                                           "\(f.name) \(path.name) threads \(threads) T \(t) position \(p) (fused)")
                            XCTAssertEqual(Array(alone[range]).map(\.bitPattern), single[p].map(\.bitPattern),
                                           "\(f.name) \(path.name) threads \(threads) T \(t) position \(p)")
                        }
                    }
                }
            }
        }
    }
}
