/// Vertical bars over labelled categories (acceptance by draft position, a histogram of exit layers).
public struct BarChart: Chart {
    /// One bar.
    public struct Bar: Sendable, Equatable {
        public var label: String
        /// Height in data units; nil draws no bar (a category with no data) and says so in the tooltip.
        public var value: Double?
        /// CSS colour; nil takes the style's first palette colour.
        public var color: String?
        /// Hover text (an SVG `<title>`); nil: "label: value".
        public var tooltip: String?

        /// Creates a bar.
        public init(label: String, value: Double?, color: String? = nil, tooltip: String? = nil) {
            self.label = label
            self.value = value
            self.color = color
            self.tooltip = tooltip
        }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var bars: [Bar]
    public var yFormat: ValueFormat
    /// Fixed top of the value axis (e.g. 1 for a share); nil fits the data.
    public var yMax: Double?
    /// Label every n-th category only (1: all), so many bars keep readable labels.
    public var labelEvery: Int

    /// Creates a bar chart.
    public init(title: String, xTitle: String, yTitle: String, bars: [Bar], yFormat: ValueFormat = .plain,
                yMax: Double? = nil, labelEvery: Int = 1) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.bars = bars
        self.yFormat = yFormat
        self.yMax = yMax
        self.labelEvery = max(1, labelEvery)
    }

    public func svg(in frame: ChartFrame, style: ChartStyle) -> String {
        let plot = frame.plotArea
        let yRange = (plot.y + plot.height, plot.y)
        let yScale = yMax.map { ChartScale(domain: 0...$0, range: yRange, step: ChartScale.niceStep($0 / 4)) }
            ?? ChartScale(covering: bars.compactMap(\.value), include: [0], range: yRange)
        var out = ChartParts.title(title, frame: frame, style: style)
        out += ChartParts.valueAxis(yScale, format: yFormat, plot: plot, style: style)
        out += ChartParts.axisTitles(x: xTitle, y: yTitle, frame: frame, style: style)
        let slot = plot.width / Double(max(1, bars.count))
        let barWidth = max(1, slot * 0.8)
        for (index, bar) in bars.enumerated() {
            let center = plot.x + slot * (Double(index) + 0.5)
            if index % labelEvery == 0 || index == bars.count - 1 {
                out += ChartParts.xTick(bar.label, at: center, plot: plot, style: style)
            }
            let tooltip = Markup.escape(bar.tooltip ?? "\(bar.label): \(bar.value.map { yFormat.label($0, step: 0.01) } ?? "no data")")
            guard let value = bar.value else { continue }
            let top = yScale.position(min(value, yScale.domain.upperBound))
            let bottom = yScale.position(0)
            out += "<rect x=\"\(px(center - barWidth / 2))\" y=\"\(px(top))\" width=\"\(px(barWidth))\" height=\"\(px(max(0, bottom - top)))\" fill=\"\(bar.color ?? style.palette.first ?? style.foreground)\"><title>\(tooltip)</title></rect>\n"
        }
        return out
    }
}
