/// The stats panel (F2): acceptance by draft position, the histogram of exit layers and, in auto
/// mode, the tuner's expected speedup per (E, K) from the measured costs and live acceptance.
enum StatsPanel {
    static func lines(_ state: ChatState, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = [[Span("stats", .accent), Span("  acceptance by draft position", .muted)]]
        let byPosition = state.stats.acceptanceByPosition
        if byPosition.isEmpty { lines.append([Span("  no drafts yet", .muted)]) }
        let barWidth = max(4, min(20, width - 12))
        for (index, rate) in byPosition.enumerated() {
            let filled = Int(((rate ?? 0) * Double(barWidth)).rounded())
            lines.append([
                Span(String(format: "%3d ", index + 1), .muted),
                Span(String(repeating: "█", count: filled), .accent),
                Span(String(repeating: "░", count: barWidth - filled), .border),
                Span(rate.map { String(format: " %3.0f%%", $0 * 100) } ?? "   –", .plain),
            ])
        }
        lines.append([Span("exit layers of committed tokens", .muted)])
        let counts = state.stats.exitLayerCounts
        let top = counts.max() ?? 0
        var histogram: StyledLine = [Span("  ", .plain)]
        for (index, count) in counts.enumerated() {
            let bar = count == 0 ? " " : String(LegendView.bars[min(7, count * 8 / max(1, top))])
            histogram.append(Span(bar, .legend(layer: index + 1)))
        }
        lines.append(histogram)
        lines.append([Span("  1", .muted), Span(String(repeating: " ", count: max(0, counts.count - 3)) + "\(counts.count)", .muted)])
        if let tuner = state.stats.tuner {
            lines.append([Span("auto: ", .muted), Span(tuner.summary, .accent)])
            lines += tuner.tableLines(width: width - 2).map { [Span("  " + $0, $0.contains("*") ? .plain : .muted)] }
        }
        return lines
    }
}
