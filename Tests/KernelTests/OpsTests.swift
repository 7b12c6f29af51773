// Per-position operations against straightforward double-precision references.
import CKernels
import SkipChatEngine
import XCTest

final class OpsTests: XCTestCase {
    func testRMSNormInPlaceAndOutOfPlace() {
        var rng = SeededGenerator(seed: 10)
        let n = 37, T = 3, eps: Float = 1e-5
        let x = rng.floats(n * T, scale: 4), w = rng.floats(n)
        var out = [Float](repeating: 0, count: n * T)
        sc_rmsnorm(&out, x, w, Int64(n), Int32(T), eps)
        var inPlace = x
        inPlace.withUnsafeMutableBufferPointer { sc_rmsnorm($0.baseAddress, $0.baseAddress, w, Int64(n), Int32(T), eps) }
        XCTAssertEqual(out, inPlace)
        for t in 0..<T {
            let row = x[(t * n)..<((t + 1) * n)].map(Double.init)
            let inv = 1 / (row.map { $0 * $0 }.reduce(0, +) / Double(n) + Double(eps)).squareRoot()
            for i in 0..<n { XCTAssertEqual(Double(out[t * n + i]), row[i] * inv * Double(w[i]), accuracy: 1e-5) }
        }
    }

    func testRoPEBothStyles() {
        var rng = SeededGenerator(seed: 11)
        let heads = 3, hd = 8, T = 2, half = hd / 2
        let pos: [Int32] = [5, 1000]
        let invFreq = (0..<half).map { Float(pow(10000.0, -2.0 * Double($0) / Double(hd))) }
        let x = rng.floats(T * heads * hd)
        for style in [0, 1] {
            var y = x
            sc_rope(&y, Int32(T), Int32(heads), Int32(hd), pos, invFreq, Int32(style))
            for t in 0..<T {
                for h in 0..<heads {
                    let base = (t * heads + h) * hd
                    for i in 0..<half {
                        let (a, b) = style == 0 ? (2 * i, 2 * i + 1) : (i, i + half)
                        let angle = Double(Float(pos[t]) * invFreq[i])
                        let x0 = Double(x[base + a]), x1 = Double(x[base + b])
                        XCTAssertEqual(Double(y[base + a]), x0 * cos(angle) - x1 * sin(angle), accuracy: 1e-5)
                        XCTAssertEqual(Double(y[base + b]), x0 * sin(angle) + x1 * cos(angle), accuracy: 1e-5)
                    }
                }
            }
        }
    }

    func testSiluMulAndAdd() {
        var rng = SeededGenerator(seed: 12)
        let gate = rng.floats(19, scale: 8), up = rng.floats(19)
        var g = gate
        sc_silu_mul(&g, up, 19)
        for i in 0..<19 {
            let s = Double(gate[i]) / (1 + exp(-Double(gate[i])))
            XCTAssertEqual(Double(g[i]), s * Double(up[i]), accuracy: 1e-6)
        }
        var sum = gate
        sc_add(&sum, up, 19)
        XCTAssertEqual(sum, zip(gate, up).map { $0 + $1 })
    }
}
