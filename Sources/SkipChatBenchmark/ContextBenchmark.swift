import CKernels
import Foundation
import SkipChatEngine

/// Speed at growing context lengths (docs/performance.md, "Long contexts"): prefill, decode and
/// verification cost, KV cache bytes and the process's resident memory at each length.
public struct ContextReport: Sendable, Codable {
    public struct Row: Sendable, Codable {
        /// Positions in the cache before the timed steps.
        public var length: Int
        /// Tokens/s of prefilling positions 0 ..< length (chunks of `prefillChunk`).
        public var prefillTokensPerSecond: Double
        /// Tokens/s of one decode step (all layers + head) at position `length`: the median step.
        public var decodeTokensPerSecond: Double
        /// Time of verifying depth 2 and 4 (3 and 5 positions in one batch) at position `length`
        /// ÷ one decode step there (medians).
        public var verifyDepth2Cost: Double
        public var verifyDepth4Cost: Double
        /// Bytes of keys and values of `length` positions in every layer.
        public var kvBytes: Int
        /// Resident memory of the process after the steps, bytes (VmRSS).
        public var residentBytes: Int
    }

    public var rows: [Row]
    public var kvType: String
    public var prefillChunk: Int
    public var kernelPath: String
    public var threads: Int
}

public enum ContextBenchmark {
    /// Prefills one pseudo-random prompt up to each length in turn (the prefill time of a length
    /// is the sum of the chunks up to it), then times decode and verification steps at that
    /// length, each step's positions rolled back before the next.
    /// - Parameters:
    ///   - lengths: increasing context lengths, each ≥ 1 and ≤ the model's context − 5.
    ///   - steps: timings per decode or verify figure (the median is kept).
    ///   - prefillChunk: positions per prefill batch.
    public static func run(model: LlamaModel, lengths: [Int], steps: Int = 9, prefillChunk: Int = 64) -> ContextReport {
        let config = model.config
        let longest = lengths.max() ?? 0
        let pass = ForwardPass(model: model, maxBatch: max(prefillChunk, 5), maxPositions: longest + 5)
        let vocab = model.weights.lmHead.rows
        let prompt = (0..<longest + 5).map { Int32(($0 * 7919 + 13) % config.vocabSize) }
        let hidden = UnsafeMutablePointer<Float>.allocate(capacity: 5 * config.hiddenSize)
        let logits = UnsafeMutablePointer<Float>.allocate(capacity: 5 * vocab)
        defer { hidden.deallocate(); logits.deallocate() }
        func step(_ positions: Int, at length: Int) -> Double {
            pass.truncate(to: length)
            return time {
                pass.embed(prompt[length..<length + positions], into: hidden)
                pass.runLayers(0..<config.layerCount, hidden: hidden, count: positions, startPosition: length)
                pass.logits(hidden: hidden, count: positions, into: logits)
            }
        }
        func median(_ positions: Int, at length: Int) -> Double {
            let times = (0..<steps).map { _ in step(positions, at: length) }.sorted()
            return times[times.count / 2]
        }
        var rows: [ContextReport.Row] = []
        var filled = 0, prefillSeconds = 0.0
        for length in lengths {
            pass.truncate(to: filled)
            prefillSeconds += time { pass.prefill(prompt[filled..<length], startPosition: filled) }
            filled = length
            let decode = median(1, at: length), two = median(3, at: length), four = median(5, at: length)
            rows.append(ContextReport.Row(length: length, prefillTokensPerSecond: Double(length) / prefillSeconds,
                                          decodeTokensPerSecond: 1 / decode, verifyDepth2Cost: two / decode,
                                          verifyDepth4Cost: four / decode, kvBytes: pass.cache.bytes(positions: length),
                                          residentBytes: residentBytes()))
        }
        return ContextReport(rows: rows, kvType: pass.cache.type.rawValue, prefillChunk: prefillChunk,
                             kernelPath: String(cString: sc_kernel_path()), threads: model.pool.threads)
    }

    /// VmRSS of this process from /proc/self/status, bytes (0 where there is none).
    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb * 1024
    }
}
