import SkipChatEngine
import COpenBLAS

/// Closed-form multi-output ridge regression y ≈ W·x + b (Hoerl & Kennard 1970), the bias not
/// penalised: with X, Y centred on their means,
///
///     Wᵀ = (XᵀX + λI)⁻¹ XᵀY,    b = ȳ − W·x̄,
///
/// solved by Cholesky (LAPACK `dposv`) in double precision. The Gram statistics are computed once
/// in `init`; `solve(lambda:)` is then one d×d factorisation per penalty.
struct RidgeRegression {
    let dimension: Int
    /// XᵀX of the centred inputs, [d × d] (symmetric).
    private let gram: [Double]
    /// (XᵀY)ᵀ = YᵀX of the centred data, [d_out × d_in] row-major (= XᵀY column-major).
    private let cross: [Double]
    private let meanX: [Double]
    private let meanY: [Double]

    /// - Parameters:
    ///   - x: inputs, [rows × dimension] row-major.
    ///   - y: targets, [rows × dimension] row-major.
    /// - Precondition: rows ≥ 1.
    init(x: [Float], y: [Float], rows: Int, dimension d: Int) {
        precondition(rows >= 1 && x.count == rows * d && y.count == rows * d)
        dimension = d
        meanX = Self.columnMeans(x, rows: rows, d: d)
        meanY = Self.columnMeans(y, rows: rows, d: d)
        let cx = Self.centred(x, means: meanX, rows: rows, d: d)
        let cy = Self.centred(y, means: meanY, rows: rows, d: d)
        var g = [Double](repeating: 0, count: d * d)
        var c = [Double](repeating: 0, count: d * d)
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(rows), 1, cx, Int32(d), cx, Int32(d), 0, &g, Int32(d))
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(rows), 1, cy, Int32(d), cx, Int32(d), 0, &c, Int32(d))
        gram = g
        cross = c
    }

    /// Mean diagonal entry of XᵀX: the natural scale of λ (penalties are given relative to it).
    var gramScale: Double { (0..<dimension).reduce(0) { $0 + gram[$1 * dimension + $1] } / Double(dimension) }

    /// The fitted map for penalty `lambda` (> 0 guarantees a positive-definite system).
    /// - Returns: weight [d × d] ([out][in], row-major) and bias [d], or nil when the Cholesky
    ///   factorisation fails (λ too small for a rank-deficient Gram matrix).
    func solve(lambda: Double) -> (weight: [Float], bias: [Float])? {
        let d = dimension
        var a = gram
        for i in 0..<d { a[i * d + i] += lambda }
        var b = cross
        var n = Int32(d), nrhs = Int32(d), lda = Int32(d), ldb = Int32(d), info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "U"))
        dposv_(&uplo, &n, &nrhs, &a, &lda, &b, &ldb, &info)
        guard info == 0 else { return nil }
        // b is Wᵀ column-major, i.e. W row-major [out][in].
        var bias = [Float](repeating: 0, count: d)
        for o in 0..<d {
            var s = meanY[o]
            for i in 0..<d { s -= b[o * d + i] * meanX[i] }
            bias[o] = Float(s)
        }
        return (b.map { Float($0) }, bias)
    }

    private static func columnMeans(_ m: [Float], rows: Int, d: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: d)
        for r in 0..<rows { for i in 0..<d { sums[i] += Double(m[r * d + i]) } }
        return sums.map { $0 / Double(rows) }
    }

    private static func centred(_ m: [Float], means: [Double], rows: Int, d: Int) -> [Double] {
        var out = [Double](repeating: 0, count: rows * d)
        for r in 0..<rows { for i in 0..<d { out[r * d + i] = Double(m[r * d + i]) - means[i] } }
        return out
    }
}
