/// A standalone SVG image (SVG 1.1) of charts laid out in a grid of equal panels.
public struct SVGDocument: Sendable {
    public var charts: [any Chart]
    /// Panels per row.
    public var columns: Int
    /// Size of one panel, pixels.
    public var panelWidth: Double
    public var panelHeight: Double
    public var style: ChartStyle
    /// A line under the charts (the machine and command that made them); nil: none.
    public var caption: String?

    /// Creates a document.
    public init(charts: [any Chart], columns: Int = 1, panelWidth: Double = 560, panelHeight: Double = 340,
                style: ChartStyle = .light, caption: String? = nil) {
        self.charts = charts
        self.columns = max(1, columns)
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
        self.style = style
        self.caption = caption
    }

    /// Total width and height, pixels.
    public var size: (width: Double, height: Double) {
        let rows = (charts.count + columns - 1) / columns
        return (Double(min(columns, max(1, charts.count))) * panelWidth,
                Double(max(1, rows)) * panelHeight + (caption == nil ? 0 : 24))
    }

    /// The `<svg>` element with every chart; `standalone` adds the XML declaration a file needs.
    public func render(standalone: Bool = true) -> String {
        let (width, height) = size
        var out = standalone ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(px(width))\" height=\"\(px(height))\" viewBox=\"0 0 \(px(width)) \(px(height))\" font-family=\"\(Markup.escape(style.font))\">\n"
        if style.background != "none" {
            out += "<rect x=\"0\" y=\"0\" width=\"\(px(width))\" height=\"\(px(height))\" fill=\"\(style.background)\"/>\n"
        }
        for (index, chart) in charts.enumerated() {
            let frame = ChartFrame(x: Double(index % columns) * panelWidth, y: Double(index / columns) * panelHeight,
                                   width: panelWidth, height: panelHeight)
            out += "<g>\n" + chart.svg(in: frame, style: style) + "</g>\n"
        }
        if let caption {
            out += "<text x=\"8\" y=\"\(px(height - 8))\" font-size=\"11\" fill=\"\(style.reference)\">\(Markup.escape(caption))</text>\n"
        }
        return out + "</svg>\n"
    }
}
