/// Lines through (x, y) points, one per series, with optional horizontal reference lines
/// (e.g. plain decoding at 1.0×) and a legend.
public struct LineChart: Chart {
    /// One line.
    public struct Series: Sendable, Equatable {
        public var name: String
        /// Points in drawing order.
        public var points: [Point]
        /// CSS colour; nil takes the style's palette colour for this series' index.
        public var color: String?

        /// Creates a series.
        public init(name: String, points: [Point], color: String? = nil) {
            self.name = name
            self.points = points
            self.color = color
        }
    }

    /// A data point.
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double

        /// Creates a point.
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// A dashed horizontal line across the plot at `value`, labelled at its right end.
    public struct Reference: Sendable, Equatable {
        public var value: Double
        public var label: String

        /// Creates a reference line.
        public init(value: Double, label: String) {
            self.value = value
            self.label = label
        }
    }

    public var title: String
    public var xTitle: String
    public var yTitle: String
    public var series: [Series]
    public var references: [Reference]
    /// Labels of the y axis.
    public var yFormat: ValueFormat
    /// Draw the y axis from 0 (else from the data's minimum).
    public var yFromZero: Bool
    /// x values to tick and label (nil: every distinct x of the data).
    public var xTicks: [Double]?

    /// Creates a line chart.
    public init(title: String, xTitle: String, yTitle: String, series: [Series], references: [Reference] = [],
                yFormat: ValueFormat = .plain, yFromZero: Bool = true, xTicks: [Double]? = nil) {
        self.title = title
        self.xTitle = xTitle
        self.yTitle = yTitle
        self.series = series
        self.references = references
        self.yFormat = yFormat
        self.yFromZero = yFromZero
        self.xTicks = xTicks
    }

    public func svg(in frame: ChartFrame, style: ChartStyle) -> String {
        let plot = frame.plotArea
        let points = series.flatMap(\.points)
        let xs = points.map(\.x)
        let xValues = xTicks ?? Array(Set(xs)).sorted()
        let xLow = (xs + xValues).min() ?? 0, xHigh = (xs + xValues).max() ?? 1
        let pad = xHigh > xLow ? (xHigh - xLow) * 0.04 : 0.5
        let xScale = ChartScale(domain: (xLow - pad)...(xHigh + pad), range: (plot.x, plot.x + plot.width), step: 1)
        let yScale = ChartScale(covering: points.map(\.y), include: references.map(\.value) + (yFromZero ? [0] : []),
                                range: (plot.y + plot.height, plot.y))
        var out = ChartParts.title(title, frame: frame, style: style)
        out += ChartParts.valueAxis(yScale, format: yFormat, plot: plot, style: style)
        for x in xValues {
            out += ChartParts.xTick(tickLabel(x, step: 1), at: xScale.position(x), plot: plot, style: style)
        }
        out += ChartParts.axisTitles(x: xTitle, y: yTitle, frame: frame, style: style)
        for reference in references {
            let y = px(yScale.position(reference.value))
            out += "<line x1=\"\(px(plot.x))\" y1=\"\(y)\" x2=\"\(px(plot.x + plot.width))\" y2=\"\(y)\" stroke=\"\(style.reference)\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n"
            out += "<text x=\"\(px(plot.x + plot.width - 4))\" y=\"\(px(yScale.position(reference.value) - 5))\" text-anchor=\"end\" font-size=\"11\" fill=\"\(style.reference)\">\(Markup.escape(reference.label))</text>\n"
        }
        for (index, line) in series.enumerated() {
            let color = line.color ?? style.palette[index % max(1, style.palette.count)]
            let coordinates = line.points.map { "\(px(xScale.position($0.x))),\(px(yScale.position($0.y)))" }
            out += "<polyline fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(coordinates.joined(separator: " "))\"/>\n"
            for point in line.points {
                let tooltip = "\(line.name): \(tickLabel(point.x, step: 1)), \(yFormat.label(point.y, step: 0.001))"
                out += "<circle cx=\"\(px(xScale.position(point.x)))\" cy=\"\(px(yScale.position(point.y)))\" r=\"3\" fill=\"\(color)\"><title>\(Markup.escape(tooltip))</title></circle>\n"
            }
        }
        out += legend(plot: plot, style: style, x: xScale, y: yScale)
        return out
    }

    /// Series names, one row each, on a translucent panel in the plot area's corner that covers
    /// the least of the drawn lines (sampled along each segment); top left wins a tie.
    private func legend(plot: ChartFrame, style: ChartStyle, x: ChartScale, y: ChartScale) -> String {
        guard !series.isEmpty else { return "" }
        let longest = series.map(\.name.count).max() ?? 0
        let width = Double(30 + longest * 7), height = Double(series.count * 16 + 6)
        let box = legendCorner(plot: plot, width: width, height: height, x: x, y: y)
        var out = "<rect x=\"\(px(box.x))\" y=\"\(px(box.y))\" width=\"\(px(width))\" height=\"\(px(height))\" fill=\"\(style.background == "none" ? "#ffffff" : style.background)\" fill-opacity=\"0.85\" stroke=\"\(style.grid)\"/>\n"
        for (index, line) in series.enumerated() {
            let color = line.color ?? style.palette[index % max(1, style.palette.count)]
            let baseline = box.y + 12 + Double(index * 16)
            out += "<line x1=\"\(px(box.x + 6))\" y1=\"\(px(baseline - 4))\" x2=\"\(px(box.x + 24))\" y2=\"\(px(baseline - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            out += "<text x=\"\(px(box.x + 28))\" y=\"\(px(baseline))\" font-size=\"11\" fill=\"\(style.foreground)\">\(Markup.escape(line.name))</text>\n"
        }
        return out
    }

    /// The legend's top-left corner: of the four corners of `plot` (inset 6 px), the one whose
    /// `width` × `height` box holds the fewest samples of the series' lines and the references.
    private func legendCorner(plot: ChartFrame, width: Double, height: Double,
                              x: ChartScale, y: ChartScale) -> (x: Double, y: Double) {
        var samples: [(Double, Double)] = []
        for line in series {
            let pixels = line.points.map { (x.position($0.x), y.position($0.y)) }
            samples += pixels
            for (a, b) in zip(pixels, pixels.dropFirst()) {
                samples += (1..<24).map { step in
                    let t = Double(step) / 24
                    return (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t)
                }
            }
        }
        for reference in references {
            let level = y.position(reference.value)
            samples += stride(from: plot.x, through: plot.x + plot.width, by: 8).map { ($0, level) }
        }
        let left = plot.x + 6, right = plot.x + plot.width - 6 - width
        let top = plot.y + 6, bottom = plot.y + plot.height - 6 - height
        let corners = [(left, top), (right, top), (left, bottom), (right, bottom)]
        func covered(_ corner: (Double, Double)) -> Int {
            samples.filter { $0.0 >= corner.0 - 4 && $0.0 <= corner.0 + width + 4
                && $0.1 >= corner.1 - 4 && $0.1 <= corner.1 + height + 4 }.count
        }
        let best = corners.min { covered($0) < covered($1) } ?? (left, top)
        return (x: best.0, y: best.1)
    }
}
