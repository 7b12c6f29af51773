import SkipChatEngine
import CKernels
import COpenBLAS

/// Top-1 tokens of residual streams through the model's final RMSNorm and LM head, for many
/// positions at once: the head is dequantised to F32 once ([vocab × hidden], 4 bytes a value)
/// and applied with `cblas_sgemm` in blocks of positions. Used to measure exit agreement.
struct ExitArgmax {
    private let config: LlamaConfig
    private let finalNorm: WeightTensor
    private let head: [Float]
    let vocab: Int

    init(model: LlamaModel) {
        config = model.config
        finalNorm = model.weights.finalNorm
        let lmHead = model.weights.lmHead
        vocab = lmHead.rows
        head = lmHead.dequantizedRows(Array(0..<lmHead.rows))
    }

    /// The argmax token of each of `rows` residual streams ([rows × hidden]), over the whole
    /// vocabulary and, when `candidates` is given, over those ids only.
    func argmax(_ states: [Float], rows: Int, candidates: [Int32]? = nil) -> (full: [Int32], restricted: [Int32]?) {
        let d = config.hiddenSize
        let block = 128
        var full: [Int32] = [], restricted: [Int32] = []
        var normed = [Float](repeating: 0, count: block * d)
        var logits = [Float](repeating: 0, count: block * vocab)
        let norm = finalNorm.data.assumingMemoryBound(to: Float.self)
        for start in stride(from: 0, to: rows, by: block) {
            let n = min(block, rows - start)
            states.withUnsafeBufferPointer { s in
                let stream = Rows(UnsafeMutablePointer(mutating: s.baseAddress!), width: d)   // read only
                sc_rmsnorm(&normed, stream.row(start), norm, Int64(d), Int32(n), config.rmsNormEps)
            }
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(vocab), Int32(d), 1,
                        normed, Int32(d), head, Int32(d), 0, &logits, Int32(vocab))
            for t in 0..<n {
                let row = logits[(t * vocab)..<((t + 1) * vocab)]
                full.append(Int32(row.indices.max { row[$0] < row[$1] }! - t * vocab))
                if let candidates {
                    restricted.append(candidates.max { row[t * vocab + Int($0)] < row[t * vocab + Int($1)] }!)
                }
            }
        }
        return (full, candidates == nil ? nil : restricted)
    }

    /// Fraction of positions where `a` and `b` agree.
    static func agreement(_ a: [Int32], _ b: [Int32]) -> Double {
        guard !a.isEmpty else { return 0 }
        return Double(zip(a, b).filter { $0 == $1 }.count) / Double(a.count)
    }
}
