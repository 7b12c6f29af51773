// sc_attention: grouped-query causal attention against a double-precision reference, with and
// without a sliding window, and per-query exactness (one query at a time equals the batched
// call, bit for bit).
import CKernels
import SkipChatEngine
import XCTest

final class AttentionTests: KernelSwitchingTestCase {

    private let heads = 6, kvHeads = 2
    /// Head size: 20 exercises the scalar tails of the vector path, 64 its 4-key and 32-wide blocks.
    private var hd = 20

    /// Reference for query t of a call with `nPast` earlier positions: keys 0 … nPast + t, less
    /// those at positions ≤ nPast + t − window when window > 0.
    private func reference(q: [Float], k: [Float], v: [Float], t: Int, nPast: Int, scale: Float, window: Int) -> [Double] {
        var out = [Double](repeating: 0, count: heads * hd)
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            let qh = (0..<hd).map { Double(q[(t * heads + h) * hd + $0]) }
            let first = window > 0 ? max(0, nPast + t - window + 1) : 0
            let keys = Array(first...(nPast + t))
            let scores = keys.map { key in
                (0..<hd).map { qh[$0] * Double(k[(key * kvHeads + g) * hd + $0]) }.reduce(0, +) * Double(scale)
            }
            let m = scores.max()!
            let e = scores.map { exp($0 - m) }
            let z = e.reduce(0, +)
            for (key, p) in zip(keys, e) {
                for i in 0..<hd { out[h * hd + i] += p / z * Double(v[(key * kvHeads + g) * hd + i]) }
            }
        }
        return out
    }

    private func attend(_ pool: OpaquePointer?, q: [Float], k: [Float], v: [Float], T: Int, nPast: Int, scale: Float,
                        window: Int = 0) -> [Float] {
        var out = [Float](repeating: .nan, count: T * heads * hd)
        sc_attention(pool, &out, q, k, v, Int32(heads), Int32(kvHeads), Int32(hd), Int32(T), Int32(nPast), scale, Int32(window))
        return out
    }

    func testMatchesReferenceAndIsExactPerQuery() {
        for size in [20, 64] {
            hd = size
            checkReferenceAndExactness()
        }
    }

    /// Windows shorter than the context (keys before it masked), one key, and longer than the context.
    func testSlidingWindowMatchesReferenceAndIsExactPerQuery() {
        hd = 20
        for window in [1, 37, 100_000] { checkReferenceAndExactness(window: window) }
    }

    private func checkReferenceAndExactness(window: Int = 0) {
        var rng = SeededGenerator(seed: 20)
        let nPast = 300, T = 9, scale = 1 / Float(hd).squareRoot()
        let k = rng.floats((nPast + T) * kvHeads * hd, scale: 2), v = rng.floats((nPast + T) * kvHeads * hd)
        let q = rng.floats(T * heads * hd, scale: 2)
        for path in kernelConfigs where path.precision == .accurate {   // precision is for matrix products only
            path.apply()
            for threads in 1...3 {
                let pool = sc_pool_create(Int32(threads))
                defer { sc_pool_destroy(pool) }
                let batch = attend(pool, q: q, k: k, v: v, T: T, nPast: nPast, scale: scale, window: window)
                for t in 0..<T {
                    let row = Array(batch[(t * heads * hd)..<((t + 1) * heads * hd)])
                    let ref = reference(q: q, k: k, v: v, t: t, nPast: nPast, scale: scale, window: window)
                    for i in row.indices {
                        XCTAssertEqual(Double(row[i]), ref[i], accuracy: 1e-5, "\(path.name) hd \(hd) window \(window) t \(t)")
                    }
                    // The same query alone, with n_past = nPast + t, is bit-identical.
                    let qt = Array(q[(t * heads * hd)..<((t + 1) * heads * hd)])
                    let single = attend(nil, q: qt, k: k, v: v, T: 1, nPast: nPast + t, scale: scale, window: window)
                    XCTAssertEqual(single.map(\.bitPattern), row.map(\.bitPattern), "\(path.name) hd \(hd) threads \(threads) t \(t)")
                }
            }
        }
    }

    func testFirstPositionAttendsOnlyToItself() {
        var rng = SeededGenerator(seed: 21)
        let k = rng.floats(2 * kvHeads * hd), v = rng.floats(2 * kvHeads * hd), q = rng.floats(2 * heads * hd)
        let out = attend(nil, q: q, k: k, v: v, T: 2, nPast: 0, scale: 0.3)
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            for i in 0..<hd { XCTAssertEqual(out[h * hd + i], v[g * hd + i], accuracy: 1e-6) }
        }
    }
}
