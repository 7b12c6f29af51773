// sc_attention: grouped-query causal attention over f32/f16/bf16 caches against a
// double-precision reference, with and without a sliding window, and per-query exactness (one
// query at a time equals the batched call bit for bit, whatever the thread count). sc_kv_store
// against Swift's own Float16 conversion and a bit-level bfloat16 rounding.
import CKernels
import SkipChatEngine
import XCTest

final class AttentionTests: KernelSwitchingTestCase {

    private let heads = 6, kvHeads = 2

    /// A cache of `type` holding `values`, and the values it holds widened back to float32.
    private func cache(_ values: [Float], _ type: KVCacheType) -> (raw: [UInt8], held: [Float]) {
        var raw = [UInt8](repeating: 0, count: values.count * type.elementSize)
        raw.withUnsafeMutableBytes { sc_kv_store($0.baseAddress, values, Int64(values.count), type.code) }
        let held: [Float] = raw.withUnsafeBytes { b in
            switch type {
            case .f32: Array(b.bindMemory(to: Float.self))
            case .f16: b.bindMemory(to: UInt16.self).map { Float(Float16(bitPattern: $0)) }
            case .bf16: b.bindMemory(to: UInt16.self).map { Float(bitPattern: UInt32($0) << 16) }
            }
        }
        return (raw, held)
    }

    /// Reference for query t of a call with `nPast` earlier positions: keys max(0, p − window + 1) … p.
    private func reference(q: [Float], k: [Float], v: [Float], hd: Int, t: Int, nPast: Int, window: Int, scale: Float) -> [Double] {
        var out = [Double](repeating: 0, count: heads * hd)
        let p = nPast + t, first = window > 0 ? max(0, p - window + 1) : 0
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            let qh = (0..<hd).map { Double(q[(t * heads + h) * hd + $0]) }
            let scores = (first...p).map { key in
                (0..<hd).map { qh[$0] * Double(k[(key * kvHeads + g) * hd + $0]) }.reduce(0, +) * Double(scale)
            }
            let m = scores.max()!
            let e = scores.map { exp($0 - m) }
            let z = e.reduce(0, +)
            for (j, w) in e.enumerated() {
                for i in 0..<hd { out[h * hd + i] += w / z * Double(v[((first + j) * kvHeads + g) * hd + i]) }
            }
        }
        return out
    }

    private func attend(_ pool: OpaquePointer?, q: [Float], k: [UInt8], v: [UInt8], type: KVCacheType, hd: Int, T: Int,
                        nPast: Int, window: Int, scale: Float) -> [Float] {
        var out = [Float](repeating: .nan, count: T * heads * hd)
        sc_attention(pool, &out, q, k, v, type.code, Int32(heads), Int32(kvHeads), Int32(hd), Int32(T), Int32(nPast),
                     Int32(window), scale)
        return out
    }

    /// Head size 20 exercises the scalar tails of the vector path, 64 its 4-key and 32-wide
    /// blocks; 1100 earlier positions span three 512-key segments, so segment states are combined;
    /// window 700 masks whole segments and part of one.
    func testMatchesReferenceAndIsExactPerQuery() {
        for type in KVCacheType.allCases {
            for hd in [20, 64] {
                for window in [0, 700, 100_000] { check(type: type, hd: hd, window: window) }
            }
        }
    }

    private func check(type: KVCacheType, hd: Int, window: Int) {
        var rng = SeededGenerator(seed: 20)
        let nPast = 1100, T = 9, scale = 1 / Float(hd).squareRoot()
        let k = cache(rng.floats((nPast + T) * kvHeads * hd, scale: 2), type)
        let v = cache(rng.floats((nPast + T) * kvHeads * hd), type)
        let q = rng.floats(T * heads * hd, scale: 2)
        let refs = (0..<T).map { reference(q: q, k: k.held, v: v.held, hd: hd, t: $0, nPast: nPast, window: window, scale: scale) }
        let what = "\(type) hd \(hd) window \(window)"
        for path in kernelConfigs where path.precision == .accurate {   // precision is for matrix products only
            path.apply()
            for threads in 1...3 {
                let pool = sc_pool_create(Int32(threads))
                defer { sc_pool_destroy(pool) }
                let batch = attend(pool, q: q, k: k.raw, v: v.raw, type: type, hd: hd, T: T, nPast: nPast, window: window, scale: scale)
                for t in 0..<T {
                    let row = Array(batch[(t * heads * hd)..<((t + 1) * heads * hd)])
                    for i in row.indices { XCTAssertEqual(Double(row[i]), refs[t][i], accuracy: 1e-5, "\(path.name) \(what) t \(t)") }
                    // The same query alone, with n_past = nPast + t, is bit-identical.
                    let qt = Array(q[(t * heads * hd)..<((t + 1) * heads * hd)])
                    let single = attend(nil, q: qt, k: k.raw, v: v.raw, type: type, hd: hd, T: 1, nPast: nPast + t, window: window,
                                        scale: scale)
                    XCTAssertEqual(single.map(\.bitPattern), row.map(\.bitPattern), "\(path.name) \(what) threads \(threads) t \(t)")
                }
            }
        }
    }

    func testFirstPositionAttendsOnlyToItself() {
        let hd = 20
        var rng = SeededGenerator(seed: 21)
        let k = cache(rng.floats(2 * kvHeads * hd), .f32), v = rng.floats(2 * kvHeads * hd), q = rng.floats(2 * heads * hd)
        let out = attend(nil, q: q, k: k.raw, v: cache(v, .f32).raw, type: .f32, hd: hd, T: 2, nPast: 0, window: 0, scale: 0.3)
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            for i in 0..<hd { XCTAssertEqual(out[h * hd + i], v[g * hd + i], accuracy: 1e-6) }
        }
    }

    /// Window 1: every query sees only its own key, so its output is its own value row.
    func testWindowOfOneAttendsOnlyToItself() {
        let hd = 20, T = 5
        var rng = SeededGenerator(seed: 22)
        let v = rng.floats((3 + T) * kvHeads * hd)
        let out = attend(nil, q: rng.floats(T * heads * hd), k: cache(rng.floats((3 + T) * kvHeads * hd), .f32).raw,
                         v: cache(v, .f32).raw, type: .f32, hd: hd, T: T, nPast: 3, window: 1, scale: 0.3)
        for t in 0..<T {
            for h in 0..<heads {
                let g = h / (heads / kvHeads)
                for i in 0..<hd { XCTAssertEqual(out[(t * heads + h) * hd + i], v[((3 + t) * kvHeads + g) * hd + i], accuracy: 1e-6) }
            }
        }
    }

    /// Rounding into the cache: f16 as Swift's Float16(x) (nearest even, overflow to infinity,
    /// subnormals), bf16 as the upper half of x rounded to nearest even.
    func testStoreRoundsToNearestEven() {
        var rng = SeededGenerator(seed: 23)
        let special: [Float] = [0, -0, 1, 65504, 65519.99, 65520, 1e6, -1e6, .infinity, -.infinity, 6e-8, 3e-8, 2.98e-8, 1e-5, 6.1e-5,
                                1 + 0x1p-11, 1 + 3 * 0x1p-11, 1 + 0x1p-8, 1 + 3 * 0x1p-8]
        let values = special + rng.floats(5000, scale: 70000) + rng.floats(5000, scale: 1e-4)
        var half = [UInt16](repeating: 0, count: values.count), brain = half
        sc_kv_store(&half, values, Int64(values.count), KVCacheType.f16.code)
        sc_kv_store(&brain, values, Int64(values.count), KVCacheType.bf16.code)
        for (i, x) in values.enumerated() {
            XCTAssertEqual(half[i], Float16(x).bitPattern, "f16 of \(x)")
            let bits = x.bitPattern, rounded = (bits &+ 0x7fff &+ ((bits >> 16) & 1)) >> 16
            XCTAssertEqual(brain[i], UInt16(rounded), "bf16 of \(x)")
        }
    }
}
