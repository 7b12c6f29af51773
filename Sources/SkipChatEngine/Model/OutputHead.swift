import CKernels
import Foundation

/// The math after the last block run, shared by every exit layer (LayerSkip §4: early exits use
/// the model's own final norm and head): the final norm, then logits = head · normed, soft-capped
/// as cap · tanh(logit / cap) when the model has a cap (Gemma 2/3 `final_logit_softcapping`).
struct OutputHead {
    let finalNorm: WeightTensor
    let architecture: Architecture
    let normEpsilon: Float
    let hidden: Int
    let softcap: Float?
    let pool: ThreadPool

    /// norm(x; finalNorm) of `count` rows of `x` ([count × hidden]) into `output`.
    func normalize(_ x: UnsafePointer<Float>, count: Int, into output: UnsafeMutablePointer<Float>) {
        switch architecture.norm {
        case .rms:
            sc_rmsnorm(output, x, finalNorm.data.assumingMemoryBound(to: Float.self), Int64(hidden), Int32(count), normEpsilon)
        }
    }

    /// logits[t] = head · normed[t] for `count` rows: [count × head.rows].
    func project(_ normed: UnsafePointer<Float>, count: Int, head: WeightTensor, into logits: UnsafeMutablePointer<Float>) {
        var job = head.job(into: Rows(logits, width: head.rows))
        sc_matmul(pool.raw, &job, 1, normed, Int64(hidden), Int32(count))
        if let softcap {
            for i in 0..<count * head.rows { logits[i] = softcap * tanhf(logits[i] / softcap) }
        }
    }
}
