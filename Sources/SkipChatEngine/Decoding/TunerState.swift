import Foundation

/// The auto tuner's view after a round, for the status bar, the stats panel, line mode and JSON:
/// what it decided, its best setting and the expected speedup of every (E, K) it considers, from
/// the measured machine costs and the live acceptance estimates (`AutoTuner`).
public struct TunerState: Sendable, Equatable, Encodable {
    public enum Decision: String, Sendable, Encodable {
        /// Drafting with the best setting (expected speedup > 1).
        case drafting
        /// Plain decoding: no setting is expected to beat it.
        case plain
        /// An exploration round: a depth-1 draft to measure acceptance while plain is ahead.
        case exploring
    }

    /// Expected speedups at one exit layer.
    public struct Row: Sendable, Equatable, Encodable {
        public var exitLayer: Int
        /// Estimated per-draft acceptance at this exit layer.
        public var acceptance: Double
        /// Expected speedup over plain decoding at depth K = 1 … speedups.count (index K − 1).
        public var speedups: [Double]

        public init(exitLayer: Int, acceptance: Double, speedups: [Double]) {
            self.exitLayer = exitLayer
            self.acceptance = acceptance
            self.speedups = speedups
        }
    }

    public var decision: Decision
    /// The best setting under the model and its expected speedup (× plain).
    public var exitLayer: Int
    public var depth: Int
    public var expectedSpeedup: Double
    /// One row per candidate exit layer, ascending.
    public var rows: [Row]
    /// c(T), T = 1 … 9: cost of T batched positions ÷ one, as measured (or assumed).
    public var batchGrowth: [Double]
    /// Seconds of one plain decoding step under the cost model.
    public var stepSeconds: Double
    /// Whether the costs come from a probe of this machine (false: the assumed costs).
    public var measured: Bool

    public init(decision: Decision, exitLayer: Int, depth: Int, expectedSpeedup: Double, rows: [Row], batchGrowth: [Double],
                stepSeconds: Double, measured: Bool) {
        self.decision = decision
        self.exitLayer = exitLayer
        self.depth = depth
        self.expectedSpeedup = expectedSpeedup
        self.rows = rows
        self.batchGrowth = batchGrowth
        self.stepSeconds = stepSeconds
        self.measured = measured
    }

    /// One line for a status bar: "drafting E10 K2 (1.21×)", "plain (E10 K1 would run 0.93×)",
    /// "exploring E10 K1 (0.93×)".
    public var summary: String {
        let setting = "E\(exitLayer) K\(depth)"
        let x = String(format: "%.2f×", expectedSpeedup)
        switch decision {
        case .drafting: return "\(setting) (\(x))"
        case .plain: return "plain (\(setting) would run \(x))"
        case .exploring: return "exploring (\(setting) would run \(x))"
        }
    }

    /// The expected-speedup table as text lines: a header of K = 1 … 8, one row per exit layer
    /// with its acceptance; the best cell marked with `*`. Narrower than `width` columns, the
    /// table keeps the depths that fit (K = 1 first) and its title takes two lines.
    public func tableLines(width: Int = .max) -> [String] {
        let depths = min(rows.first?.speedups.count ?? 0, max(1, (width - 10) / 6))
        let how = "(c(T) " + (measured ? "measured" : "assumed") + String(format: ", step %.2f ms)", stepSeconds * 1000)
        var lines = "expected speedup × plain ".count + how.count <= width ? ["expected speedup × plain " + how]
            : ["expected speedup × plain", how]
        lines.append("  E   acc " + (1...max(1, depths)).map { Self.padded("K\($0)", 6) }.joined())
        for row in rows {
            let cells = row.speedups.prefix(depths).enumerated().map { k, s in
                let mark = row.exitLayer == exitLayer && k + 1 == depth ? "*" : " "
                return String(format: "%5.2f", s) + mark
            }
            lines.append(String(format: "%3d %5.2f ", row.exitLayer, row.acceptance) + cells.joined())
        }
        return lines
    }

    private static func padded(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - s.count)) + s
    }
}
