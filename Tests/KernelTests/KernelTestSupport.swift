// Shared helpers for the kernel tests: seeded random floats, owned raw buffers, weight matrices
// built in every stored format together with their exact values, and double-precision references.
import CKernels
import SkipChatEngine
import XCTest

/// Random test data from the engine's seeded SplitMix64 generator, so failures reproduce.
extension SeededGenerator {
    mutating func floats(_ n: Int, scale: Float = 1) -> [Float] {
        (0..<n).map { _ in Float.random(in: -scale...scale, using: &self) }
    }
}

/// Heap memory the kernels can read and write, freed with the object.
final class RawBuffer {
    let pointer: UnsafeMutableRawPointer
    let count: Int
    init(bytes: [UInt8]) {
        count = bytes.count
        pointer = .allocate(byteCount: max(count, 1), alignment: 64)
        bytes.withUnsafeBytes { pointer.copyMemory(from: $0.baseAddress!, byteCount: count) }
    }
    deinit { pointer.deallocate() }
}

extension Array where Element == UInt8 {
    mutating func appendLE(_ v: UInt16) { append(UInt8(v & 0xff)); append(UInt8(v >> 8)) }
    mutating func appendLE(_ v: Float) { let b = v.bitPattern; for i in 0..<4 { append(UInt8((b >> (8 * UInt32(i))) & 0xff)) } }
}

/// A rows × cols weight matrix in a stored type, with the exact value of every element
/// (computed in Swift from the format definition, independently of the kernels).
struct TestMatrix {
    let type: Int32
    let rows: Int
    let cols: Int
    let data: RawBuffer
    let values: [Float]   // row-major rows × cols

    static let allTypes: [Int32] = [Int32(SC_TYPE_F32), Int32(SC_TYPE_F16), Int32(SC_TYPE_BF16),
                                    Int32(SC_TYPE_Q4_0), Int32(SC_TYPE_Q4_1), Int32(SC_TYPE_Q8_0)]

    static func isQuantised(_ type: Int32) -> Bool {
        ![Int32(SC_TYPE_F32), Int32(SC_TYPE_F16), Int32(SC_TYPE_BF16)].contains(type)
    }

    static func random(type: Int32, rows: Int, cols: Int, rng: inout SeededGenerator) -> TestMatrix {
        var bytes: [UInt8] = []
        var values: [Float] = []
        func half(_ x: Float) -> UInt16 { Float16(x).bitPattern }
        switch type {
        case Int32(SC_TYPE_F32):
            for v in rng.floats(rows * cols) { bytes.appendLE(v); values.append(v) }
        case Int32(SC_TYPE_F16):
            for v in rng.floats(rows * cols) { let h = Float16(v); bytes.appendLE(h.bitPattern); values.append(Float(h)) }
        case Int32(SC_TYPE_BF16):
            for v in rng.floats(rows * cols) {
                let b = UInt16(v.bitPattern >> 16)
                bytes.appendLE(b); values.append(Float(bitPattern: UInt32(b) << 16))
            }
        default:
            for _ in 0..<(rows * cols / 32) {
                let d = Float(Float16(Float.random(in: 0.001...0.1, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)))
                let m = Float(Float16(Float.random(in: -0.5...0.5, using: &rng)))
                var block = [Float](repeating: 0, count: 32)
                bytes.appendLE(half(d))
                if type == Int32(SC_TYPE_Q8_0) {
                    for i in 0..<32 {
                        let q = Int8.random(in: -128...127, using: &rng)
                        bytes.append(UInt8(bitPattern: q)); block[i] = Float(q) * d
                    }
                } else {
                    if type == Int32(SC_TYPE_Q4_1) { bytes.appendLE(half(m)) }
                    for i in 0..<16 {
                        let lo = UInt8.random(in: 0...15, using: &rng), hi = UInt8.random(in: 0...15, using: &rng)
                        bytes.append(lo | hi << 4)
                        if type == Int32(SC_TYPE_Q4_0) {
                            block[i] = Float(Int(lo) - 8) * d; block[i + 16] = Float(Int(hi) - 8) * d
                        } else {
                            block[i] = Float(lo) * d + m; block[i + 16] = Float(hi) * d + m
                        }
                    }
                }
                values += block
            }
        }
        precondition(bytes.count == rows * sc_row_bytes(type, Int64(cols)))
        return TestMatrix(type: type, rows: rows, cols: cols, data: RawBuffer(bytes: bytes), values: values)
    }

    /// Reference y[t, r] in double and an error bound for it: float rounding, plus for quantised
    /// weights the rounding of activations (≤ half a step per element: amax/65534 for int16,
    /// amax/254 for the fast int8 precision), and with `bf16Activations` the rounding of x to
    /// bfloat16 (relative ≤ 2⁻⁸ per value, so ≤ 2⁻⁸ · Σ|terms|).
    func reference(x: [Float], T: Int, precision: KernelPrecision = .accurate, bf16Activations: Bool = false) -> (values: [Double], bounds: [Double]) {
        let halfSteps = precision == .fast ? 254.0 : 65534.0
        var ys = [Double](repeating: 0, count: T * rows), bounds = ys
        for t in 0..<T {
            let xr = Array(x[(t * cols)..<((t + 1) * cols)])
            for r in 0..<rows {
                var sum = 0.0, magnitude = 0.0, quantError = 0.0
                for c in 0..<cols {
                    let w = Double(values[r * cols + c])
                    sum += w * Double(xr[c]); magnitude += abs(w * Double(xr[c]))
                }
                if TestMatrix.isQuantised(type) {
                    for b in 0..<(cols / 32) {
                        let amax = xr[(b * 32)..<(b * 32 + 32)].map { abs(Double($0)) }.max()!
                        let wsum = (0..<32).map { abs(Double(values[r * cols + b * 32 + $0])) }.reduce(0, +)
                        quantError += wsum * amax / halfSteps * 1.0001
                    }
                }
                if bf16Activations { quantError += magnitude * 0x1p-8 * 1.0001 }
                ys[t * rows + r] = sum
                bounds[t * rows + r] = quantError + Double(cols) * 1.2e-7 * magnitude + 1e-6   // (n−1)·u·Σ|terms| rounding bound
            }
        }
        return (ys, bounds)
    }
}

/// Runs sc_matmul on `matrices` fused into one call (each with its own output buffer) and returns
/// every job's T × rows output.
func runMatmul(_ matrices: [TestMatrix], x: [Float], T: Int, pool: OpaquePointer?) -> [[Float]] {
    var outputs = matrices.map { [Float](repeating: .nan, count: T * $0.rows) }
    let outPointers = outputs.indices.map { i in
        UnsafeMutablePointer<Float>.allocate(capacity: outputs[i].count)
    }
    defer { outPointers.forEach { $0.deallocate() } }
    let jobs = matrices.enumerated().map { i, m in
        sc_matmul_job(type: m.type, w: UnsafeRawPointer(m.data.pointer), rows: Int64(m.rows),
                      cols: Int64(m.cols), y: outPointers[i], y_stride: Int64(m.rows))
    }
    x.withUnsafeBufferPointer { xp in
        sc_matmul(pool, jobs, Int32(jobs.count), xp.baseAddress, Int64(matrices[0].cols), Int32(T))
    }
    for i in outputs.indices { outputs[i] = Array(UnsafeBufferPointer(start: outPointers[i], count: outputs[i].count)) }
    return outputs
}

/// A kernel configuration under test: an instruction-set path this CPU runs, and a precision.
struct KernelConfig {
    let path: KernelPath
    let precision: KernelPrecision
    var name: String { "\(path.rawValue)/\(precision.rawValue)" }
    /// Whether this configuration rounds the activations of `type` weights to BF16 (the avx512
    /// vdpbf16ps kernel, fast precision, CPUs with AVX512_BF16).
    func bf16Activations(_ type: Int32) -> Bool {
        path == .avx512 && precision == .fast && type == Int32(SC_TYPE_BF16) && sc_cpu_has_avx512_bf16() != 0
    }
    func apply() {
        XCTAssertEqual(sc_set_path(path.code), 0)
        sc_set_precision(precision == .fast ? Int32(SC_PRECISION_FAST) : Int32(SC_PRECISION_ACCURATE))
    }
}

extension KernelPath {
    var code: Int32 { Int32(sc_path_by_name(rawValue)) }
}

/// Every path this CPU runs, each with both precisions. Paths it cannot run are reported by
/// KernelPathTests.testPathsThisCPUCannotRun (skipped, with the reason).
let kernelConfigs: [KernelConfig] = KernelPath.allCases.filter(\.isSupported).flatMap { path in
    KernelPrecision.allCases.map { KernelConfig(path: path, precision: $0) }
}

/// A test case that switches the process-wide kernel path or precision (`KernelConfig.apply`,
/// `KernelSelection.configure`). Each test holds `KernelSelection.Lease` from setUp to tearDown:
/// no other code that switches kernels through the lease or `KernelSelection.withKernels` runs
/// meanwhile, whatever order or threads the tests run on, and the path and precision in force
/// before the test are back after it.
class KernelSwitchingTestCase: XCTestCase {
    private var lease: KernelSelection.Lease?

    override func setUp() {
        super.setUp()
        lease = KernelSelection.Lease()
    }

    override func tearDown() {
        lease?.end()
        lease = nil
        super.tearDown()
    }
}

func typeName(_ type: Int32) -> String {
    switch type {
    case Int32(SC_TYPE_F32): "F32"
    case Int32(SC_TYPE_F16): "F16"
    case Int32(SC_TYPE_BF16): "BF16"
    case Int32(SC_TYPE_Q4_0): "Q4_0"
    case Int32(SC_TYPE_Q4_1): "Q4_1"
    case Int32(SC_TYPE_Q8_0): "Q8_0"
    default: TensorType(rawValue: UInt32(type))?.description ?? "type \(type)"
    }
}
