import Foundation
import SkipChatEngine

/// The quantise-on-load progress bar: percentage, bytes and rate on standard error, redrawn at
/// most ten times a second, only when standard error is a terminal and only while quantising
/// (`generate`, `info`, `bench`, and `chat` before it takes over the screen).
public final class QuantizeProgress {
    private let type: QuantizeType
    private let began = Date()
    private var lastDraw = Date.distantPast
    private var drawn = false

    public init(type: QuantizeType) { self.type = type }

    /// `done` of `total` source bytes quantised.
    public func update(_ done: Int, _ total: Int) {
        guard isatty(2) != 0 else { return }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        drawn = true
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let rate = Double(done) / max(now.timeIntervalSince(began), 1e-3)
        let filled = Int(fraction * 24)
        let line = String(format: "\rquantising to %@ (once; cached) %3.0f%% %@ %.2f / %.2f GB  %.0f MB/s\u{1B}[K", type.rawValue.uppercased(),
                          fraction * 100, String(repeating: "█", count: filled) + String(repeating: "░", count: 24 - filled),
                          Double(done) / 1e9, Double(total) / 1e9, rate / 1e6)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the bar's line (when one was drawn).
    public func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
