import Foundation

/// A one-line progress bar on standard error — bytes done, percentage, rate and ETA — redrawn at
/// most ten times a second, only when standard error is a terminal.
final class HubProgressBar {
    private let label: String
    private let total: Int64
    private let start: Int64
    private let began = Date()
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    /// `start`: bytes already there (a resumed transfer); the rate counts only new bytes.
    init(label: String, total: Int64, start: Int64, enabled: Bool) {
        self.label = label
        self.total = total
        self.start = start
        self.enabled = enabled && isatty(2) != 0
    }

    func update(_ done: Int64, force: Bool = false) {
        guard enabled else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(began), 1e-3)
        let rate = Double(done - start) / elapsed
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let eta = rate > 0 && total > done ? Self.clock(Double(total - done) / rate) : "--:--"
        let line = String(format: "\r%@ %3.0f%% %@ %@ / %@  %@/s  ETA %@\u{1B}[K", label, fraction * 100, bar,
                          HubByteCount.text(done), HubByteCount.text(total), HubByteCount.text(Int64(rate)), eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish(_ done: Int64) {
        guard enabled else { return }
        update(done, force: true)
        FileHandle.standardError.write(Data("\n".utf8))
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
