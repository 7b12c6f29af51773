/// Where a chart is drawn inside an SVG document, in pixels (origin top left, y down).
public struct ChartFrame: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    /// Creates a frame.
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The plot area left inside the frame for axes and titles: 58 px on the left for tick
    /// labels and the y title, 34 px on top for the title, 44 px below for ticks and the x title.
    var plotArea: ChartFrame {
        ChartFrame(x: x + 58, y: y + 34, width: max(1, width - 58 - 14), height: max(1, height - 34 - 44))
    }
}

/// How a value axis labels its ticks.
public enum ValueFormat: Sendable, Equatable {
    /// The number itself ("1.5").
    case plain
    /// A share in 0 … 1 shown as a percentage ("50%").
    case percent
    /// A ratio ("1.5×").
    case times

    func label(_ value: Double, step: Double) -> String {
        switch self {
        case .plain: tickLabel(value, step: step)
        case .percent: tickLabel(value * 100, step: step * 100) + "%"
        case .times: tickLabel(value, step: step) + "×"
        }
    }
}

/// Something that draws itself as SVG elements inside a frame.
public protocol Chart: Sendable {
    /// SVG elements (no `<svg>` root) drawing the chart inside `frame`.
    func svg(in frame: ChartFrame, style: ChartStyle) -> String
}

/// Shared pieces: title, axis titles, grid and tick labels of a value axis.
enum ChartParts {
    static func title(_ text: String, frame: ChartFrame, style: ChartStyle) -> String {
        "<text x=\"\(px(frame.x + frame.width / 2))\" y=\"\(px(frame.y + 20))\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\" fill=\"\(style.foreground)\">\(Markup.escape(text))</text>\n"
    }

    static func axisTitles(x: String, y: String, frame: ChartFrame, style: ChartStyle) -> String {
        let plot = frame.plotArea
        let yMid = plot.y + plot.height / 2
        return "<text x=\"\(px(plot.x + plot.width / 2))\" y=\"\(px(frame.y + frame.height - 6))\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(style.foreground)\">\(Markup.escape(x))</text>\n"
            + "<text x=\"\(px(frame.x + 14))\" y=\"\(px(yMid))\" text-anchor=\"middle\" font-size=\"12\" fill=\"\(style.foreground)\" transform=\"rotate(-90 \(px(frame.x + 14)) \(px(yMid)))\">\(Markup.escape(y))</text>\n"
    }

    /// Horizontal grid lines and labels at the scale's ticks, and the plot area's frame.
    static func valueAxis(_ scale: ChartScale, format: ValueFormat, plot: ChartFrame, style: ChartStyle) -> String {
        var out = ""
        for tick in scale.ticks {
            let y = px(scale.position(tick))
            out += "<line x1=\"\(px(plot.x))\" y1=\"\(y)\" x2=\"\(px(plot.x + plot.width))\" y2=\"\(y)\" stroke=\"\(style.grid)\" stroke-width=\"1\"/>\n"
            out += "<text x=\"\(px(plot.x - 6))\" y=\"\(px(scale.position(tick) + 4))\" text-anchor=\"end\" font-size=\"11\" fill=\"\(style.foreground)\">\(Markup.escape(format.label(tick, step: scale.step)))</text>\n"
        }
        out += "<rect x=\"\(px(plot.x))\" y=\"\(px(plot.y))\" width=\"\(px(plot.width))\" height=\"\(px(plot.height))\" fill=\"none\" stroke=\"\(style.foreground)\" stroke-width=\"1\"/>\n"
        return out
    }

    static func xTick(_ label: String, at x: Double, plot: ChartFrame, style: ChartStyle) -> String {
        let bottom = plot.y + plot.height
        return "<line x1=\"\(px(x))\" y1=\"\(px(bottom))\" x2=\"\(px(x))\" y2=\"\(px(bottom + 4))\" stroke=\"\(style.foreground)\" stroke-width=\"1\"/>\n"
            + "<text x=\"\(px(x))\" y=\"\(px(bottom + 17))\" text-anchor=\"middle\" font-size=\"11\" fill=\"\(style.foreground)\">\(Markup.escape(label))</text>\n"
    }
}
