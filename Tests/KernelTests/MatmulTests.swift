// sc_matmul against a double-precision reference, and the exactness contract: a (position, row)
// result is bit-identical whatever T, thread count, row split or fused jobs.
import CKernels
import SkipChatEngine
import XCTest

final class MatmulTests: KernelSwitchingTestCase {

    /// Odd row counts (not multiples of any tile or chunk), columns 32·k (plus odd ones for float types).
    private func shapes(_ type: Int32) -> [(rows: Int, cols: Int)] {
        TestMatrix.isQuantised(type) ? [(67, 96), (131, 320)] : [(67, 96), (131, 77), (9, 3)]
    }

    func testMatchesReferenceForEveryTypePathAndThreadCount() {
        var rng = SeededGenerator(seed: 1)
        for path in kernelConfigs {
            path.apply()
            for type in TestMatrix.allTypes {
                for shape in shapes(type) {
                    let m = TestMatrix.random(type: type, rows: shape.rows, cols: shape.cols, rng: &rng)
                    let T = 17
                    let x = rng.floats(T * shape.cols, scale: 2)
                    let ref = m.reference(x: x, T: T, precision: path.precision, bf16Activations: path.bf16Activations(type))
                    for threads in 1...3 {
                        let pool = sc_pool_create(Int32(threads))
                        defer { sc_pool_destroy(pool) }
                        for t in [1, 2, 3, 4, 5, 8, 9, 16, 17] {
                            let y = runMatmul([m], x: Array(x[0..<(t * shape.cols)]), T: t, pool: pool)[0]
                            for i in 0..<(t * shape.rows) where !(abs(Double(y[i]) - ref.values[i]) <= ref.bounds[i]) {
                                XCTFail("\(typeName(type)) \(path.name) \(shape) threads \(threads) T \(t) [\(i)]: \(y[i]) vs \(ref.values[i]) ± \(ref.bounds[i])")
                                return
                            }
                        }
                    }
                }
            }
        }
    }

    func testResultIsBitIdenticalWhateverTThreadsOrFusion() {
        var rng = SeededGenerator(seed: 2)
        for path in kernelConfigs {
            path.apply()
            for type in TestMatrix.allTypes {
                let cols = 128
                let a = TestMatrix.random(type: type, rows: 203, cols: cols, rng: &rng)
                let b = TestMatrix.random(type: type, rows: 70, cols: cols, rng: &rng)
                let T = 64
                let x = rng.floats(T * cols, scale: 3)
                // Per-position results from T = 1 calls on one thread are the baseline.
                var single: [[Float]] = []
                for t in 0..<T { single.append(runMatmul([a], x: Array(x[(t * cols)..<((t + 1) * cols)]), T: 1, pool: nil)[0]) }
                for threads in 1...3 {
                    let pool = sc_pool_create(Int32(threads))
                    defer { sc_pool_destroy(pool) }
                    for t in [2, 3, 4, 5, 7, 8, 9, 13, 17, 33, 64] {
                        let fused = runMatmul([b, a], x: Array(x[0..<(t * cols)]), T: t, pool: pool)
                        let alone = runMatmul([a], x: Array(x[0..<(t * cols)]), T: t, pool: pool)[0]
                        for p in 0..<t {
                            let batch = Array(fused[1][(p * a.rows)..<((p + 1) * a.rows)])
                            let unfused = Array(alone[(p * a.rows)..<((p + 1) * a.rows)])
                            XCTAssertEqual(batch.map(\.bitPattern), single[p].map(\.bitPattern),
                                           "\(typeName(type)) \(path.name) threads \(threads) T \(t) position \(p) (fused)")
                            XCTAssertEqual(unfused.map(\.bitPattern), single[p].map(\.bitPattern),
                                           "\(typeName(type)) \(path.name) threads \(threads) T \(t) position \(p)")
                        }
                    }
                }
            }
        }
    }

    /// Float weights at real row sizes (cols 2048 and 11008, a few rows): every path and precision,
    /// T = 1…9 on 1 and 2 threads bit-identical to T = 1 alone, and within the reference bound.
    func testFloatWeightsAtRealRowSizesForEveryVerifyBatch() {
        var rng = SeededGenerator(seed: 4)
        for path in kernelConfigs {
            path.apply()
            for type in [Int32(SC_TYPE_F16), Int32(SC_TYPE_BF16)] {
                for cols in [2048, 11008] {
                    let m = TestMatrix.random(type: type, rows: 19, cols: cols, rng: &rng)
                    let x = rng.floats(9 * cols, scale: 2)
                    let ref = m.reference(x: x, T: 9, precision: path.precision, bf16Activations: path.bf16Activations(type))
                    var single: [Float] = []
                    for t in 0..<9 { single += runMatmul([m], x: Array(x[(t * cols)..<((t + 1) * cols)]), T: 1, pool: nil)[0] }
                    for i in single.indices where !(abs(Double(single[i]) - ref.values[i]) <= ref.bounds[i]) {
                        XCTFail("\(typeName(type)) \(path.name) cols \(cols) [\(i)]: \(single[i]) vs \(ref.values[i]) ± \(ref.bounds[i])")
                        return
                    }
                    for threads in 1...2 {
                        let pool = sc_pool_create(Int32(threads))
                        defer { sc_pool_destroy(pool) }
                        for t in 1...9 {
                            let y = runMatmul([m], x: Array(x[0..<(t * cols)]), T: t, pool: pool)[0]
                            XCTAssertEqual(y.map(\.bitPattern), Array(single[0..<(t * m.rows)]).map(\.bitPattern),
                                           "\(typeName(type)) \(path.name) cols \(cols) threads \(threads) T \(t)")
                        }
                    }
                }
            }
        }
    }

    func testFusedJobsWriteStridedOutputsAndSkipUnsupportedShapes() {
        var rng = SeededGenerator(seed: 3)
        let q = TestMatrix.random(type: Int32(SC_TYPE_Q4_1), rows: 64, cols: 64, rng: &rng)
        let k = TestMatrix.random(type: Int32(SC_TYPE_Q8_0), rows: 32, cols: 64, rng: &rng)
        let x = rng.floats(3 * 64)
        let expectQ = runMatmul([q], x: x, T: 3, pool: nil)[0]
        let expectK = runMatmul([k], x: x, T: 3, pool: nil)[0]
        // Both outputs interleaved in one buffer of stride 96: y[t][0..<64] = Q, y[t][64..<96] = K.
        let y = UnsafeMutablePointer<Float>.allocate(capacity: 3 * 96)
        defer { y.deallocate() }
        let jobs = [sc_matmul_job(type: q.type, w: q.data.pointer, rows: 64, cols: 64, y: y, y_stride: 96),
                    sc_matmul_job(type: k.type, w: k.data.pointer, rows: 32, cols: 64, y: y + 64, y_stride: 96)]
        let pool = sc_pool_create(2)
        defer { sc_pool_destroy(pool) }
        sc_matmul(pool, jobs, 2, x, 64, 3)
        for t in 0..<3 {
            XCTAssertEqual((0..<64).map { y[t * 96 + $0] }, Array(expectQ[(t * 64)..<((t + 1) * 64)]))
            XCTAssertEqual((0..<32).map { y[t * 96 + 64 + $0] }, Array(expectK[(t * 32)..<((t + 1) * 32)]))
        }
        // A quantised type with cols not a multiple of 32 is unsupported: its output is NaN.
        let bad = [sc_matmul_job(type: Int32(SC_TYPE_Q4_0), w: q.data.pointer, rows: 4, cols: 40, y: y, y_stride: 4)]
        sc_matmul(nil, bad, 1, x, 40, 1)
        XCTAssertTrue((0..<4).allSatisfy { y[$0].isNaN })
    }

}
