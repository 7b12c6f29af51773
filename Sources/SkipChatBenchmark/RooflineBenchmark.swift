import CKernels
import Foundation
import SkipChatEngine

/// Prefill, decode and verification speed of a model against the memory roofline measured in
/// the same run (decode reads every weight once per token, so tokens/s ≤ bandwidth ÷ bytes per
/// token; docs/performance.md, "Roofline").
public struct RooflineReport: Sendable, Codable {
    /// Streaming-read bandwidth of this machine with the model's threads, GB/s (10⁹ bytes/s).
    public var bandwidthGBs: Double
    /// Weight bytes read per decoded token (all layers + LM head).
    public var bytesPerToken: Int
    public var prefillTokensPerSecond: Double
    /// Decode speed: tokens ÷ seconds of `decodeSteps` steps, the best of `repeats` timings.
    public var decodeTokensPerSecond: Double
    /// 1 ÷ the fastest single decode step of all the timings: less sensitive than
    /// `decodeTokensPerSecond` to other processes on a shared machine, which slow some steps.
    public var fastestDecodeStepTokensPerSecond: Double
    /// decode tokens/s × bytes per token, GB/s.
    public var decodeGBs: Double
    /// decodeGBs ÷ bandwidthGBs.
    public var rooflineFraction: Double
    /// Time to run verifyPositions[i] positions through all layers and the head in one batch ÷
    /// one decode step. Verifying depth K means K + 1 positions.
    public var verifyCostRatio: [Double]
    /// Batch sizes (positions) of `verifyCostRatio`: 2 … 9 (depth 1 … 8).
    public var verifyPositions: [Int]
    /// Code path of the kernels ("avx2", "scalar", …).
    public var kernelPath: String
    public var threads: Int
}

public enum RooflineBenchmark {
    /// Measures `model`. Each figure is the best of `repeats` timings (the machine is shared).
    /// - Parameters:
    ///   - promptLength: positions of the prefill measurement.
    ///   - decodeSteps: tokens of each decode timing.
    public static func run(model: LlamaModel, promptLength: Int = 128, decodeSteps: Int = 32, repeats: Int = 3) -> RooflineReport {
        let config = model.config
        let bytes = model.weightBytesPerToken
        let bandwidth = sc_bench_read_bandwidth(model.pool.raw, 512 << 20, 3)
        let vocab = model.weights.lmHead.rows
        let prompt = (0..<promptLength).map { Int32(($0 * 7919) % config.vocabSize) }

        var prefill = Double.infinity
        for _ in 0..<repeats {
            let pass = ForwardPass(model: model, maxBatch: 64, maxPositions: promptLength + 64)
            prefill = min(prefill, time { pass.prefill(prompt[...], startPosition: 0) })
        }

        let pass = ForwardPass(model: model, maxBatch: 17, maxPositions: promptLength + decodeSteps + 32)
        pass.prefill(prompt[...], startPosition: 0)
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: 17 * config.hiddenSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: 17 * vocab)
        defer { hidden.deallocate(); logits.deallocate() }
        /// Runs `positions` positions through every layer and the head at the end of the prompt.
        func step(_ positions: Int) -> Double {
            pass.cache.truncate(to: promptLength)
            return time {
                pass.embed(prompt.prefix(positions), into: hidden)
                pass.runLayers(0..<config.layerCount, hidden: hidden, count: positions, startPosition: promptLength)
                pass.logits(hidden: hidden, count: positions, into: logits)
            }
        }
        var decode = Double.infinity, fastest = Double.infinity
        for _ in 0..<repeats {
            var total = 0.0
            for _ in 0..<decodeSteps {
                let seconds = step(1)
                total += seconds
                fastest = min(fastest, seconds)
            }
            decode = min(decode, total / Double(decodeSteps))
        }
        let positions = Array(2...9)
        let ratios = positions.map { n -> Double in
            var best = Double.infinity
            for _ in 0..<max(repeats, 5) { best = min(best, step(n)) }
            return best / decode
        }
        let decodeRate = 1 / decode
        let decodeGBs = decodeRate * Double(bytes) / 1e9
        return RooflineReport(bandwidthGBs: bandwidth, bytesPerToken: bytes,
                              prefillTokensPerSecond: Double(promptLength) / prefill, decodeTokensPerSecond: decodeRate,
                              fastestDecodeStepTokensPerSecond: 1 / fastest,
                              decodeGBs: decodeGBs, rooflineFraction: decodeGBs / bandwidth,
                              verifyCostRatio: ratios, verifyPositions: positions,
                              kernelPath: String(cString: sc_kernel_path()), threads: model.pool.threads)
    }
}

/// Seconds `body` takes (monotonic clock).
func time(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
