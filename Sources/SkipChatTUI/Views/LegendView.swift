/// The layer legend: the colour ramp over layers 1 … L with the exit layer E marked. Bars also
/// grow with depth, so the legend reads without colour.
enum LegendView {
    static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func line(layerCount: Int, exitLayer: Int, width: Int) -> StyledLine {
        let prefix = "layer 1 "
        let suffix = " \(layerCount)  E=\(exitLayer)"
        let room = width - DisplayWidth.width(of: prefix) - DisplayWidth.width(of: suffix)
        guard layerCount > 0, room >= 4 else { return [Span("E=\(exitLayer)/\(layerCount)", .muted)] }
        let cells = min(layerCount, room)
        var line: StyledLine = [Span(prefix, .muted)]
        for cell in 0..<cells {
            let first = cell * layerCount / cells + 1
            let last = (cell + 1) * layerCount / cells
            let layer = (first + last) / 2
            let marked = (first...max(first, last)).contains(exitLayer)
            let bar = bars[min(bars.count - 1, (layer - 1) * bars.count / layerCount)]
            line.append(Span(marked ? "E" : String(bar), marked ? .accent : .legend(layer: layer)))
        }
        line.append(Span(suffix, .muted))
        return line
    }
}
