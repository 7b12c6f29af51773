import Foundation
import SkipChatEngine

/// Sampling settings in a few characters, for the status bar and notices: "greedy", or
/// "T 0.8 top-k 40 top-p 0.95 min-p 0.05 rep 1.1/64" listing only the filters that are on (the
/// repetition penalty with its window, when it has one).
enum SamplingSummary {
    static func text(_ p: SamplingParameters) -> String {
        guard !p.isGreedy else { return "greedy" }
        var parts = ["T " + number(p.temperature)]
        if p.topK > 0 { parts.append("top-k \(p.topK)") }
        if p.topP < 1 { parts.append("top-p " + number(p.topP)) }
        if p.minP > 0 { parts.append("min-p " + number(p.minP)) }
        if p.repetitionPenalty != 1 {
            parts.append("rep " + number(p.repetitionPenalty) + (p.repetitionWindow.map { "/\($0)" } ?? ""))
        }
        return parts.joined(separator: " ")
    }

    /// Up to two decimals, trailing zeros dropped: 0.2, 0.95, 1.
    private static func number(_ x: Float) -> String {
        var s = String(format: "%.2f", x)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
